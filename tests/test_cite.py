"""Citations (GB/T 7714, BibTeX, CSL-JSON) and addresses that do not move."""

from __future__ import annotations

import json
import re
import shutil

from converter import convert_file, pages
from converter.cite import ACCESSED, cite
from conftest import SEEDS

DAJISHAN = SEEDS / "003_f635664e5ef9ff1d.txt"  # 中共大吉山镇委员会、大吉山镇人民政府, signed 2023-01-09
ARCHIVE_URL = "https://archive.example.org/reports/jiangxi-ganzhou-quannan-dajishanzhen-2022/"
SOURCE = "http://www.quannan.gov.cn/qnxxxgk/c116390/202301/1.shtml"


def with_sidecar(tmp_path, text: str):
    target = tmp_path / DAJISHAN.name
    shutil.copy(DAJISHAN, target)
    target.with_suffix(".yml").write_text(text, encoding="utf-8")
    return convert_file(str(target))


def test_gbt7714_names_the_bodies_the_title_proper_the_date_and_both_addresses(tmp_path):
    report = with_sidecar(tmp_path, f"source_url: {SOURCE}\nslug: jiangxi-ganzhou-quannan-dajishanzhen-2022\n")
    entry = pages.Entry.of(report)
    c = cite(report.metadata, entry.display_title, ARCHIVE_URL)
    assert c.gbt7714 == (f"中共大吉山镇委员会, 大吉山镇人民政府. 关于大吉山镇2022年度法治政府建设工作情况的报告[EB/OL]. "
                         f"(2023-01-09)[{ACCESSED}]. {SOURCE}. 存档于: 法治政府建设报告档案, {ARCHIVE_URL}.")


def test_without_a_source_address_the_archive_copy_is_cited(convert):
    report = convert(DAJISHAN)
    c = cite(report.metadata, "", ARCHIVE_URL)
    assert c.gbt7714.endswith(f"[{ACCESSED}]. {ARCHIVE_URL}.") and "存档于" not in c.gbt7714
    assert json.loads(c.csl_json)["URL"] == ARCHIVE_URL


def test_bibtex_is_balanced_and_escapes_what_latex_would_read(tmp_path):
    report = with_sidecar(tmp_path, f"source_url: {SOURCE}\ntitle: 50%完成 & 继续_推进 {{草案}}\n")
    c = cite(report.metadata, "", ARCHIVE_URL)
    assert c.bibtex.startswith("@misc{jiangxi-ganzhou-quannan-dajishanzhen-2022,")
    assert c.bibtex.count("{") - c.bibtex.count("\\{") == c.bibtex.count("}") - c.bibtex.count("\\}")
    assert r"50\%完成 \& 继续\_推进 \{草案\}" in c.bibtex
    fields = dict(re.findall(r"^\s+(\w+)\s+= \{(.*)\},?$", c.bibtex, flags=re.M))
    assert fields["author"] == "{中共大吉山镇委员会} and {大吉山镇人民政府}"
    assert fields["year"] == "2023" and fields["url"] == SOURCE and ARCHIVE_URL in fields["note"]


def test_csl_json_is_a_report_with_issue_date_place_and_archive(tmp_path):
    report = with_sidecar(tmp_path, f"source_url: {SOURCE}\n")
    item = json.loads(cite(report.metadata, "", ARCHIVE_URL).csl_json)
    assert item["type"] == "report" and item["issued"] == {"date-parts": [[2023, 1, 9]]}
    assert [a["literal"] for a in item["author"]] == ["中共大吉山镇委员会", "大吉山镇人民政府"]
    assert item["publisher-place"] == "江西省赣州市全南县"
    assert (item["URL"], item["archive_location"]) == (SOURCE, ARCHIVE_URL)


def test_address_comes_from_the_file_name_and_survives_corrections(tmp_path):
    target = tmp_path / "jiangxi-ganzhou-quannan-dajishanzhen-2022.txt"
    shutil.copy(DAJISHAN, target)
    before = convert_file(str(target)).metadata.slug
    target.with_suffix(".yml").write_text("county: 龙南市\nyear: 2021\n", encoding="utf-8")  # a (wrong) correction
    after = convert_file(str(target)).metadata
    assert after.county == "龙南市" and after.year == 2021
    assert before == after.slug == "jiangxi-ganzhou-quannan-dajishanzhen-2022"


def test_a_changed_address_leaves_a_redirect_from_every_former_one(tmp_path):
    target = tmp_path / "quannan-dajishan-2022.txt"
    shutil.copy(DAJISHAN, target)
    target.with_suffix(".yml").write_text("slug: jiangxi-ganzhou-quannan-dajishanzhen-2022\n"
                                          "former_slugs: [dajishan-2022]\n", encoding="utf-8")
    report = convert_file(str(target))
    assert report.metadata.aliases == ["dajishan-2022", "quannan-dajishan-2022"]
    files = pages.build([pages.Entry.of(report)], site_url="https://archive.example.org/")
    for alias in report.metadata.aliases:
        page = files[f"reports/{alias}/index.html"]
        assert 'url=../jiangxi-ganzhou-quannan-dajishanzhen-2022/"' in page
        assert '<a id="moved-to" href="../jiangxi-ganzhou-quannan-dajishanzhen-2022/">' in page  # redirect.js reads it
        assert '<script src="../../assets/redirect.js" defer></script>' in page
        assert "script-src 'self';" in page and "<script>" not in page  # no inline script, none allowed
        assert '<link rel="canonical" href="https://archive.example.org/reports/jiangxi-ganzhou-quannan-dajishanzhen-2022/">' in page
    assert "reports/jiangxi-ganzhou-quannan-dajishanzhen-2022.md" in files
