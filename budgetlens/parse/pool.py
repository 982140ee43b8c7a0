"""placeholder"""
def parse_many(*a, **k):
    raise NotImplementedError
