"""One decision input file: the reference and title every document made from it shares."""
