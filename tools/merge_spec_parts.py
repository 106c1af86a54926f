#!/usr/bin/env python3
"""One-off helper used while the spec was first written in parallel parts: merges openapi/parts/*.yaml into
openapi/aha.yaml, refusing any key defined twice with different content."""
import sys, glob, yaml

class Dumper(yaml.SafeDumper):
    pass
def _str(dumper, data):
    style = '|' if '\n' in data else None
    return dumper.represent_scalar('tag:yaml.org,2002:str', data, style=style)
Dumper.add_representer(str, _str)
Dumper.ignore_aliases = lambda *a: True

def merge(dst, src, path):
    for k, v in src.items():
        if k not in dst:
            dst[k] = v
        elif isinstance(dst[k], dict) and isinstance(v, dict) and path.count('/') < 2:
            merge(dst[k], v, path + '/' + str(k))
        elif dst[k] != v:
            sys.exit(f'conflict at {path}/{k}')

out = {}
for f in sorted(glob.glob('openapi/parts/*.yaml')):
    with open(f) as fh:
        merge(out, yaml.safe_load(fh) or {}, '')
with open(sys.argv[1] if len(sys.argv) > 1 else 'openapi/aha.yaml', 'w') as fh:
    yaml.dump(out, fh, Dumper=Dumper, sort_keys=False, allow_unicode=True, width=120)
print('paths:', len(out.get('paths', {})), 'ops:', sum(len([m for m in p if m in ('get','put','post','delete','patch')]) for p in out.get('paths', {}).values()))
