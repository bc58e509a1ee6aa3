"""Rules of this jurisdiction or programme; see compliance.regulations.registry."""
