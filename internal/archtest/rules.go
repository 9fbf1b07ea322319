package archtest

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

// Module is the module path that internal/, cmd/ and bench/ patterns are
// relative to.
const Module = "github.com/standby-oncall/standby"

// Pattern matches import paths: an exact path, or with a "/..." suffix that
// path and everything below it.
type Pattern string

// Match reports whether path matches p.
func (p Pattern) Match(path string) bool {
	if base, ok := strings.CutSuffix(string(p), "/..."); ok {
		return path == base || strings.HasPrefix(path, base+"/")
	}
	return path == string(p)
}

// Set is a list of patterns; a path in any of them is in the set.
type Set []Pattern

// Match returns the index of the first pattern that matches path, or -1.
func (s Set) Match(path string) int {
	for i, p := range s {
		if p.Match(path) {
			return i
		}
	}
	return -1
}

// Rule is one checked line of the table.
type Rule struct {
	// Kind is "only", "never", "never-in-code" (tests exempt) or "apart".
	Kind string
	// From are the packages the rule is about (for "only": the ones
	// allowed to depend on To).
	From Set
	// To are the dependencies it restricts.
	To Set
	// Line is the rule's line in the table, for messages.
	Line int
	// Text is the line as written.
	Text string
}

// Parse reads the table (see rules.txt for the grammar).
func Parse(r io.Reader) ([]Rule, error) {
	parts := map[string]Set{}
	var rules []Rule
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		text, _, _ := strings.Cut(sc.Text(), "#")
		f := strings.Fields(text)
		if len(f) == 0 {
			continue
		}
		rule, err := parseLine(f, parts)
		if err != nil {
			return nil, fmt.Errorf("rules line %d: %w", n, err)
		}
		if rule.Kind == "part" {
			continue
		}
		rule.Line, rule.Text = n, strings.TrimSpace(text)
		rules = append(rules, rule)
	}
	return rules, sc.Err()
}

func parseLine(f []string, parts map[string]Set) (Rule, error) {
	switch f[0] {
	case "part":
		if len(f) < 3 {
			return Rule{}, errors.New("want: part NAME and patterns")
		}
		parts[f[1]] = expand(f[2:], parts)
		return Rule{Kind: "part"}, nil
	case "apart":
		if len(f) != 2 || parts[f[1]] == nil {
			return Rule{}, fmt.Errorf("want: apart PART (a part named before)")
		}
		return Rule{Kind: "apart", From: parts[f[1]]}, nil
	case "only", "never", "never-in-code":
		arrow := map[string]string{"only": "<-", "never": "->", "never-in-code": "->"}[f[0]]
		i := indexOf(f, arrow)
		if i < 2 || i == len(f)-1 {
			return Rule{}, fmt.Errorf("want: %s, patterns, %s, patterns", f[0], arrow)
		}
		left, right := expand(f[1:i], parts), expand(f[i+1:], parts)
		if f[0] == "only" {
			return Rule{Kind: "only", From: right, To: left}, nil
		}
		return Rule{Kind: f[0], From: left, To: right}, nil
	}
	return Rule{}, fmt.Errorf("unknown rule %q", f[0])
}

func indexOf(f []string, s string) int {
	for i, x := range f {
		if x == s {
			return i
		}
	}
	return -1
}

// expand resolves part names and makes module paths absolute.
func expand(words []string, parts map[string]Set) Set {
	var out Set
	for _, w := range words {
		if p, ok := parts[w]; ok {
			out = append(out, p...)
			continue
		}
		if strings.HasPrefix(w, "internal/") || strings.HasPrefix(w, "cmd/") || strings.HasPrefix(w, "bench/") {
			w = Module + "/" + w
		}
		out = append(out, Pattern(w))
	}
	return out
}

// Package is one package of the module with everything it depends on.
type Package struct {
	Path string
	// Deps are the dependencies of the package and its tests.
	Deps map[string]bool
	// CodeDeps are the package's own, without its tests'; nil means Deps.
	CodeDeps map[string]bool
}

// Check returns one message per violation of rules by pkgs.
func Check(rules []Rule, pkgs []Package) []string {
	var out []string
	for _, r := range rules {
		for _, p := range pkgs {
			out = append(out, r.check(p)...)
		}
	}
	return out
}

func (r Rule) check(p Package) []string {
	deps := p.Deps
	if r.Kind == "never-in-code" && p.CodeDeps != nil {
		deps = p.CodeDeps
	}
	var bad []string
	for dep := range deps {
		if r.forbids(p.Path, dep) {
			bad = append(bad, strings.TrimPrefix(dep, Module+"/"))
		}
	}
	if len(bad) == 0 {
		return nil
	}
	slices.Sort(bad)
	if len(bad) > 3 {
		bad = append(bad[:3], fmt.Sprintf("%d more", len(bad)-3))
	}
	return []string{fmt.Sprintf("%s depends on %s (rules.txt line %d: %s)",
		strings.TrimPrefix(p.Path, Module+"/"), strings.Join(bad, ", "), r.Line, strings.Join(strings.Fields(r.Text), " "))}
}

// forbids reports whether the rule forbids the package at path to depend
// on dep.
func (r Rule) forbids(path, dep string) bool {
	switch r.Kind {
	case "only":
		return r.To.Match(dep) >= 0 && r.From.Match(path) < 0
	case "never", "never-in-code":
		return r.From.Match(path) >= 0 && r.To.Match(dep) >= 0
	case "apart":
		i, j := r.From.Match(path), r.From.Match(dep)
		return i >= 0 && j >= 0 && i != j
	}
	return false
}
