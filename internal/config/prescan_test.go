package config

import (
	"strings"
	"testing"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// parserStats measures what prescan bounds on go-yaml's own AST: the
// deepest nesting of collections and the sum of the squares of the block
// mappings' key counts.
func parserStats(f *ast.File) scanStats {
	var st scanStats
	var walk func(n ast.Node) int
	walk = func(n ast.Node) int {
		switch t := n.(type) {
		case *ast.DocumentNode:
			return walk(t.Body)
		case *ast.MappingNode:
			if !t.IsFlowStyle {
				st.keyCost += int64(len(t.Values)) * int64(len(t.Values))
			}
			d := 0
			for _, mv := range t.Values {
				d = max(d, walk(mv.Key), walk(mv.Value))
			}
			return d + 1
		case *ast.MappingValueNode:
			if !t.IsFlowStyle {
				st.keyCost++
			}
			return max(walk(t.Key), walk(t.Value)) + 1
		case *ast.SequenceNode:
			d := 0
			for _, v := range t.Values {
				d = max(d, walk(v))
			}
			return d + 1
		case *ast.MappingKeyNode:
			return walk(t.Value)
		case *ast.AnchorNode:
			return walk(t.Value)
		case *ast.TagNode:
			return walk(t.Value)
		}
		return 0
	}
	for _, doc := range f.Docs {
		st.depth = max(st.depth, walk(doc))
	}
	return st
}

// checkAgainstParser fails when prescan measures less nesting or fewer
// keys than the parser builds: what prescan under-counts, it lets through.
func checkAgainstParser(t *testing.T, src string) {
	t.Helper()
	if checkText([]byte(src)) != nil {
		return // refused before prescan
	}
	f, err := parser.ParseBytes([]byte(src), 0, parser.AllowDuplicateMapKey())
	if err != nil {
		return
	}
	want := parserStats(f)
	issue, got := prescan([]byte(src), scanLimits{depth: 1 << 30, keys: 1 << 30})
	if issue != nil {
		return // refused before the parser
	}
	// What matters is that prescan's measures grow as the parser's do:
	// the parser's cost is quadratic in both, so a constant more depth, or
	// a constant factor more key cost, is cheap. prescan may fall short by
	// one level (go-yaml nests one node more in a few malformed one-offs,
	// such as "! -\n  -"), and by a factor of 4 on key cost plus the
	// number of lines (go-yaml joins keys of different columns into one
	// mapping after some malformed lines; prescan nests those, so its
	// depth limit bounds them). A mapping of k keys that prescan missed
	// entirely would cost k², more than that for k > 8.
	lines := int64(strings.Count(src, "\n") + 1)
	if got.depth+1 < want.depth || 4*(got.keyCost+lines) < want.keyCost {
		t.Errorf("prescan measured depth %d, key cost %d; the parser built depth %d, key cost %d, for:\n%s", got.depth, got.keyCost, want.depth, want.keyCost, src)
	}
}

// trickyYAML are inputs where a naive scanner would miss nesting: brackets
// inside quotes, comments and block scalars, and nesting right after them.
var trickyYAML = []string{
	"a: [[[[x]]]]\n",
	"a:[[[[x]]]]\n",
	"- - - - x\n",
	"-  -   - x\n",
	"a:\n- b:\n  - c:\n    - d\n",
	"a: b [[[[\n",
	"a: 'x' [[[\n",
	"a: \"x\" [[[\n",
	"'a': [[[[x]]]]\n",
	"\"a\": {b: {c: [d]}}\n",
	"[a]: [[[x]]]\n",
	"{a: 1}: [[x]]\n",
	"a: \"]]\" \n",
	"a: [\"]]\", [[[x]]]]\n",
	"a: ['it''s', [[[x]]]]\n",
	"a: [\"a\\\"]\", [[[x]]]]\n",
	"{\"a\":\"]\", b: [[[[x]]]]}\n",
	"[a:'x', [[[y]]]]\n",
	"[a 'x, [[[y]]]]\n",
	"[a, 'x], [[[y]]]']\n",
	"[a #x]\n, [[[y]]]]\n",
	"[a, #]\n [[[y]]]]\n",
	"a: b #[[[[\n",
	"a: b#[[[[\n",
	"a: |\n  [[[[\n  ]]\nb: [[[x]]]\n",
	"a: |\n    text\n  b: [[[[x]]]]\n",
	"- a: |\n    text\n  b: [[[[x]]]]\n",
	"a: >-\n  x\n\n  y\nb: {c: {d: [e]}}\n",
	"a: |2\n    x\n  y\nb: [[x]]\n",
	"--- |\n[[[[\n--- [[[x]]]\n",
	"--- [[[[x]]]]\n",
	"... \n[[x]]\n",
	"a: &x [[[[y]]]]\nb: *x\n",
	"a: !!seq [[[[y]]]]\n",
	"a: !<tag:x> [[[[y]]]]\n",
	"? [[[[x]]]]\n: [[[y]]]\n",
	"? a\n: - b\n  - - c\n",
	"a: b\n  [[[[x]]]]\n",
	"a: 'multi\n  line [[[[' \nb: [[x]]\n",
	"a: \"multi\\\n  line [[[[\"\nb: [[x]]\n",
	"a:\n  b:\n    c:\n      d: [e]\n",
	"a:\n  - [b, {c: [d]}]\n  -\n    - x\n",
	"a:\t[[[x]]]\n",
	"a: [\n  [\n    [x]\n  ]\n]\n",
	"a: {b: [\n'c', [[d]]]}\n",
	"- [a]\n- [[b]]\n-\n  - [[[c]]]\n",
	"a: 1\nb: 2\nc: 3\nd:\n  e: 1\n  f: 2\n",
	"a: 1\r\nb:\r\n  c: [[d]]\r\n",
	"%YAML 1.2\n---\na: [[[b]]]\n",
	"a: -[[[x]]]\n",
	"-[[[x]]]\n",
	"a: ?[[[x]]]\n",
	"a: ? [[[x]]]\n",
	"a: *x [[[y]]]\n",
	"a: &x\n  - [[y]]\n",
	"a: !!map\n  b: [[c]]\n",
	"<<: {a: [[b]]}\n",
	"a: b: [[c]]\n",
	"- a: 1\n  b: 2\n- c: [[d]]\n",
	"a:\n  # c\n  b: [[c]]\n",
	"a: |\n # less indented comment\n b: [[[[x]]]]\n",
	"a: |\n\n\n  text\nb: [[[x]]]\n",
	"a: |-\n  x\n  #\nb: [[[x]]]\n",
	// found by FuzzPrescan: go-yaml reads a key whose ":" is on the next line
	"0: >\n0\n:\n",
	"0:\n! 00000:\n",
	"* 0:000:\n",
	"-\n0:",
	"k1:\n-\n  a: 1\nk2:\n-\n  b: 1\nk3:\n",
	"k1:\n-\nk2: v\nk3: w\n",
	"* 0:\n0:",
	"\r-",
	"[:\",[]]",
	"[[[[}}}}[[[[[x]]]]]]]]]",
	"[[0: 0]]",
	"0:\n- 0:\n#000\n  000:\n \n",
	"0: !0\n0:\n",
	"a: !t\nb: !t\nc: !t\nd: 1\n",
	"- !0\n- 0\n",
	"- !t\n  - x\n- y\n",
	"[!] []]",
	"0: \n0: \n0: \n0:\n0\n :\n",
	"0:\n-\n0\n0:\n",
	"0: 0\n !\n0:\n",
	"[0: []]",
	"[{]}]",
	"{[}]]",
	"0: 0\n \"\n0:\n",
	"foo\n[[[[\n",
	"a: b\n  - c\nd: e\n",
	"...[]",
	" ? 0\n: -\n",
	"0\n: 0\n:\n",
	"0\n: 0\n: 0\n: 0\n: 0\n",
	"[- []]",
	"[- - - []]",
	"{? [[]]}",
	"- &0\n0:\n",
	"0: [0:\n    0: 0]",
	"[0:\n  0: 0]",
	"-\n0\n:\n",
	"  - !\n-\n",
	" 0\n: 0\n:\n",
	"0: |\n\n!:\n",
	"0:\n 0\n:\n",
	"0\n: |\n:\n",
	"-\n0\n :",
	"- *\n0:",
	"? 0\n  -0\n -",
	"0:\n0 \n:",
	"!\t0 []",
	"&\t00 []",
	"- & 0\n0:",
	"{0:{0:\"\":[]}}",
	"- !\n&00\n-",
	"0: !:\n0: !\n0:",
	"- &\n0\n0:",
	"-\n &0\n-",
	"! -\n  -",
	"! -\n  ! -\n    ! -\n      -\n",
	"! -\n  - ! -\n      - ! -\n          - ! -\n              -",
	"0:\r0<<:\r00<<: ",
	"a: b<<: [[[x]]]\n",
	" 0:\r000<<:\r000000000000<<: ",
	"&\"\"[[]]",
	"- *[[[x]]]",
	"0: |\n00: |\n\n!:",
	"0: |\n\n!: |\n\n!: |\n\n!: |\n\n!:",
	"0: |\n\n\": [[]]",
	"0: |\n\n>: [[]]",
	"0: |\n\n!: [[]]",
	"[\"\\x\" \",[[]]]",
	"[\"\\u\" \"\",[[]]]",
	"[&\",\"[[]]]",
	"? 0\n - \"000000\n: - - -",
	"a:\n  0: |\n\n  \": [[]]",
	"  0: \n  0\n: 0:",
	"  0:\n0  \n: 0:\n0  \n: 0:\n0  \n: 0:\n0  \n: 0:\n0  \n: 0:\n0  \n: 0:\n0  \n: 0:\n0  \n: 0:\n",
	"  0:\n 0 \n: 0:\n 0 \n: 0:\n 0 \n: 0:\n 0 \n: 0:\n 0 \n: 0:\n 0 \n: 0:",
}

func TestPrescanMeasuresAtLeastTheParser(t *testing.T) {
	for _, src := range trickyYAML {
		checkAgainstParser(t, src)
	}
	checkAgainstParser(t, strings.Repeat("[", 50)+strings.Repeat("]", 50))
}

func FuzzPrescan(f *testing.F) {
	for _, s := range trickyYAML {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkAgainstParser(t, string(data))
	})
}
