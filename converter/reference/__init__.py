"""Reference data kept in the repository: the glossary of policy terms and the registry of laws and documents.

Each file is YAML, one entry per term or document, edited by pull request. The
loaders check every entry and name the file, line and key of any fault; they
load on first use, so a converter run that never looks a term up pays nothing.
"""
