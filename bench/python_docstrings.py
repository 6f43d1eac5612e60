"""Python's standard library docstrings as known-item records for bench/make_corpus.mjs
(--format records): one JSON object a line, {name, synopsis, body}.

    python3 bench/python_docstrings.py > records.jsonl

Every public module, class, function and method of the standard library (the python3
Debian package's, imported one by one) whose docstring has a one-paragraph summary of 3-25
words and more after it gives a document titled with its dotted name ("json.dumps"),
the rest of the docstring as its body, and the summary as the query. Short documents
next to long ones, and titles that are names rather than words: unlike the package
descriptions the ranking was tuned on. Modules with side effects on import (a browser
opened, a window, the test suite) are not imported.
"""
import pkgutil, importlib, inspect, json, sys, sysconfig, warnings, io, contextlib, re, os
warnings.simplefilter('ignore')
SKIP = ('antigravity', 'this', 'idlelib', 'tkinter', 'turtle', 'turtledemo', 'test', 'lib2to3', 'ensurepip',
        'pydoc_data', '__main__', 'pty', 'tty', 'xxsubtype', 'xxlimited')
# A summary that is a signature ("split(sep=None) -> list", C functions' style) is no query.
signature = re.compile(r'^[\w.]+\(.*\)|->')
out = {}  # name -> record, in the order found
def record(name, doc):
    """Keeps one object's docstring as a record, the first of a name only."""
    if not doc or name in out: return
    doc = inspect.cleandoc(doc)
    parts = re.split(r'\n\s*\n', doc, maxsplit=1)
    if len(parts) < 2: return
    synopsis = ' '.join(parts[0].split())
    body = parts[1].strip()
    words = synopsis.split()
    if signature.search(synopsis) or not (3 <= len(words) <= 25) or len(body.split()) < 5: return
    out[name] = {'name': name, 'synopsis': synopsis, 'body': body}
stdlib = sysconfig.get_paths()['stdlib']
names = []
for m in pkgutil.walk_packages([stdlib], onerror=lambda x: None):
    parts = m.name.split('.')
    if parts[0] in SKIP or 'test' in parts or 'tests' in parts or any(p.startswith('_') for p in parts): continue
    names.append(m.name)
names += [n for n in sys.builtin_module_names if not n.startswith('_')]
for modname in sorted(set(names)):
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            mod = importlib.import_module(modname)
    except BaseException:
        continue
    record(modname, getattr(mod, '__doc__', None))
    for attr, obj in sorted(vars(mod).items()):
        if attr.startswith('_') or getattr(obj, '__module__', None) != modname: continue
        if not (inspect.isclass(obj) or inspect.isroutine(obj)): continue
        record(f'{modname}.{attr}', obj.__doc__ if isinstance(getattr(obj, '__doc__', None), str) else None)
        if inspect.isclass(obj):
            for m_attr, m_obj in sorted(vars(obj).items()):
                if m_attr.startswith('_') or not inspect.isroutine(m_obj): continue
                d = getattr(m_obj, '__doc__', None)
                record(f'{modname}.{attr}.{m_attr}', d if isinstance(d, str) else None)
for r in out.values(): print(json.dumps(r))
