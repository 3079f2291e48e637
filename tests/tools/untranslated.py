#!/usr/bin/env python3
"""untranslated.py [ROOT] — finds user-facing messages that do not go through em_tr().

Scans every C file of the program (every top-level directory with .c files except
tests/, bench/, samples/) for:
  * a string literal with English words passed straight (not inside em_tr) to
    fprintf(stderr, ...), fputs(..., stderr), em_err_set(...) (except EM_ERR_NOMEM,
    which mapper/err.c words itself) or em_cmd_usage_error(...);
  * em_tr("x", "x") with the same text twice (an untranslated pair).
Only the message is looked at (not em_err_set's file/sheet/column, not a command
name); an argument choosing by em_lang_get() counts as translated.
A call may opt out with the comment `em-lang: not for users` on it or the 3 lines
above; debug output right under an `if (getenv(...))` is not for users either. Prints one line per finding, "FILE:LINE: text"; exit 1 if any."""
import os
import re
import sys

ROOT = sys.argv[1] if len(sys.argv) > 1 else "."
SKIP = {"tests", "bench", "samples", "build", "debian", "man", "scripts", "docs", "data"}
FORMAT = re.compile(r"%[-+ #0-9.*]*(?:hh|h|ll|l|z|j|t)?[a-zA-Z]")
OPTION = re.compile(r"--?[a-zA-Z][a-zA-Z0-9-]*")
CAPS = re.compile(r"\b[A-Z][A-Z0-9_.-]+\b")
EXT = re.compile(r"\.[a-z]{2,5}\b")
WORD = re.compile(r"[A-Za-z]{3,}")
CALLS = re.compile(r"\b(fprintf|fputs|em_err_set|em_cmd_usage_error|em_tr)\s*\(")
LIT = re.compile(r'"((?:[^"\\\n]|\\.)*)"')


def strip_comments(src):
    """Blanks comments (keeping newlines and string literals)."""
    out, i, n = [], 0, len(src)
    while i < n:
        c = src[i]
        if c == '"' or c == "'":
            j = i + 1
            while j < n and src[j] != c:
                j += 2 if src[j] == "\\" else 1
            out.append(src[i:j + 1])
            i = j + 1
        elif src.startswith("/*", i):
            j = src.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append("".join(ch if ch == "\n" else " " for ch in src[i:j]))
            i = j
        elif src.startswith("//", i):
            j = src.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def call_args(src, start):
    """The top-level arguments of the call whose '(' is at start, as (text, offset)."""
    depth, i, arg0, args = 0, start, start + 1, []
    while i < len(src):
        c = src[i]
        if c == '"' or c == "'":
            j = i + 1
            while j < len(src) and src[j] != c:
                j += 2 if src[j] == "\\" else 1
            i = j + 1
            continue
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
            if depth == 0:
                args.append((src[arg0:i], arg0))
                return args
        elif c == "," and depth == 1:
            args.append((src[arg0:i], arg0))
            arg0 = i + 1
        i += 1
    return args


def literals_outside_tr(text):
    """String literals of an argument that are not inside an em_tr(...) call."""
    masked = text
    for m in re.finditer(r"\bem_tr\s*\(", text):
        args = call_args(text, m.end() - 1)
        if args:
            end = args[-1][1] + len(args[-1][0]) + 1
            masked = masked[:m.start()] + " " * (end - m.start()) + masked[end:]
    return [m.group(1) for m in LIT.finditer(masked)]


def english(lit):
    # "Name: %s" — a system call's or library's name before its own message (strerror,
    # sqlite3_errmsg): the name is not a word to translate
    lit = re.sub(r"^\s*[A-Za-z][A-Za-z0-9_]*: +(?=%)", "", lit)
    t = FORMAT.sub(" ", lit.replace("\\n", " ").replace("\\t", " "))
    t = OPTION.sub(" ", t)
    t = CAPS.sub(" ", t)
    t = EXT.sub(" ", t)
    t = re.sub(r"edgemap( [a-z%]+)*:?", " ", t)

    return WORD.search(t) is not None


def scan(path, rel, found):
    raw = open(path, encoding="utf-8", errors="replace").read()
    src = strip_comments(raw)
    lines = raw.split("\n")
    for m in CALLS.finditer(src):
        fn = m.group(1)
        args = call_args(src, m.end() - 1)
        if not args:
            continue
        line = src.count("\n", 0, m.start()) + 1
        near = "\n".join(lines[max(0, line - 4):line])
        if "em-lang: not for users" in near:
            continue
        if "em_lang_get()" in near:  # a hand-made ja/en choice around the call
            continue
        if "getenv(" in "\n".join(lines[max(0, line - 2):line - 1]):  # debug output behind a variable
            continue
        if fn == "em_tr":
            if len(args) == 2:
                a, b = (" ".join(LIT.findall(x[0])) for x in args)
                if a == b and english(a):
                    found.append(f"{rel}:{line}: em_tr with the same text twice: \"{a}\"")
            continue
        if fn == "fprintf" and args[0][0].strip() != "stderr":
            continue
        if fn == "fputs" and (len(args) < 2 or args[1][0].strip() != "stderr"):
            continue
        if fn == "em_err_set" and len(args) > 1 and "EM_ERR_NOMEM" in args[1][0]:
            continue
        # only the message: em_err_set's file/sheet/row/column and the command name of
        # em_cmd_usage_error are data, not words for the user
        if fn == "em_err_set":
            args = args[6:]
        elif fn == "em_cmd_usage_error":
            args = args[1:]
        for text, _ in args:
            if "em_lang_get()" in text:  # a hand-made ja/en choice
                continue
            for lit in literals_outside_tr(text):
                if english(lit):
                    found.append(f"{rel}:{line}: not through em_tr: \"{lit}\"")


def main():
    found = []
    for d in sorted(os.listdir(ROOT)):
        if d in SKIP or d.startswith(".") or not os.path.isdir(os.path.join(ROOT, d)):
            continue
        for base, _, files in os.walk(os.path.join(ROOT, d)):
            for f in sorted(files):
                if f.endswith(".c"):
                    p = os.path.join(base, f)
                    scan(p, os.path.relpath(p, ROOT), found)
    for f in found:
        print(f)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
