package ical

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"
	"unsafe"
)

// property is one content line of a component: NAME;PARAM=V:VALUE.
type property struct {
	Name   string  // upper case
	Params []param // in file order; names upper case, quotes removed
	Value  string  // raw value, not unescaped
	Line   int     // 1-based line number (of the unfolded line start)
}

// param is one property parameter.
type param struct {
	Name, Value string
}

// paramOK returns the value of the parameter called name (upper case); when
// it is repeated the last one wins, as in ical.js.
func (p *property) paramOK(name string) (string, bool) {
	for i := len(p.Params) - 1; i >= 0; i-- {
		if p.Params[i].Name == name {
			return p.Params[i].Value, true
		}
	}
	return "", false
}

func (p *property) param(name string) string {
	v, _ := p.paramOK(name)
	return v
}

// component is a BEGIN:X … END:X block.
type component struct {
	Name     string // upper case
	Props    []property
	Children []*component
	Line     int
}

// Warning is a non-fatal problem found while parsing or expanding.
type Warning struct {
	Line int    // 0 when not tied to a line
	Msg  string // human-readable description
}

// String formats the warning as "line N: msg".
func (w Warning) String() string {
	if w.Line > 0 {
		return fmt.Sprintf("line %d: %s", w.Line, w.Msg)
	}
	return w.Msg
}

// prop returns the first property called name, or nil.
func (c *component) prop(name string) *property {
	for i := range c.Props {
		if c.Props[i].Name == name {
			return &c.Props[i]
		}
	}
	return nil
}

// unfoldOctets removes CRLF+WSP and LF+WSP folds at the byte level (so a fold
// may split a multi-byte UTF-8 sequence) and decodes invalid UTF-8 to U+FFFD
// the way the WHATWG decoder does.
func unfoldOctets(buf []byte) string {
	out := make([]byte, 0, len(buf))
	for {
		i := bytes.IndexByte(buf, '\n')
		if i < 0 {
			out = append(out, buf...)
			break
		}
		if i+1 < len(buf) && (buf[i+1] == ' ' || buf[i+1] == '\t') {
			if i > 0 && buf[i-1] == '\r' {
				out = append(out, buf[:i-1]...)
			} else {
				out = append(out, buf[:i]...)
			}
			buf = buf[i+2:]
			continue
		}
		out = append(out, buf[:i+1]...)
		buf = buf[i+1:]
	}
	if utf8.Valid(out) && len(out) > 0 {
		// out is not used after this point, so it can back the string
		return unsafe.String(&out[0], len(out))
	}
	return whatwgUTF8(out)
}

// whatwgUTF8 converts b to a valid UTF-8 string, replacing each maximal
// invalid subpart with U+FFFD (WHATWG Encoding "utf-8 decode").
func whatwgUTF8(b []byte) string {
	valid := true
	for _, c := range b {
		if c >= 0x80 {
			valid = false
			break
		}
	}
	if valid {
		return string(b)
	}
	var sb strings.Builder
	sb.Grow(len(b))
	i := 0
	for i < len(b) {
		c := b[i]
		if c < 0x80 {
			sb.WriteByte(c)
			i++
			continue
		}
		need, lo, hi := 0, byte(0x80), byte(0xBF)
		switch {
		case c >= 0xC2 && c <= 0xDF:
			need = 1
		case c >= 0xE0 && c <= 0xEF:
			need = 2
			if c == 0xE0 {
				lo = 0xA0
			} else if c == 0xED {
				hi = 0x9F
			}
		case c >= 0xF0 && c <= 0xF4:
			need = 3
			if c == 0xF0 {
				lo = 0x90
			} else if c == 0xF4 {
				hi = 0x8F
			}
		default:
			sb.WriteString("\uFFFD")
			i++
			continue
		}
		j := i + 1
		ok := true
		for k := 0; k < need; k++ {
			if j >= len(b) || b[j] < lo || b[j] > hi {
				ok = false
				break
			}
			lo, hi = 0x80, 0xBF
			j++
		}
		if ok {
			sb.Write(b[i:j])
		} else {
			sb.WriteString("\uFFFD")
		}
		i = j
	}
	return sb.String()
}

type rawLine struct {
	text string
	line int
}

// splitLines splits text into logical lines like ical.js: LF separates lines
// (a preceding CR is dropped), a line starting with a space or tab continues
// the previous one, empty lines are skipped.
func splitLines(text string) []rawLine {
	start := strings.IndexFunc(text, func(r rune) bool { return r != ' ' && r != '\t' })
	if start < 0 {
		return nil
	}
	lineNo := 1 + strings.Count(text[:start], "\n")
	out := make([]rawLine, 0, strings.Count(text, "\n")+1)
	var cur string // current logical line
	var parts []string
	curLine := 0
	flush := func() {
		if len(parts) > 0 {
			cur = cur + strings.Join(parts, "")
			parts = parts[:0]
		}
		if cur != "" {
			out = append(out, rawLine{cur, curLine})
		}
	}
	pos := start
	for pos < len(text) {
		end := strings.IndexByte(text[pos:], '\n')
		var seg string
		next := len(text)
		if end >= 0 {
			seg = text[pos : pos+end]
			next = pos + end + 1
			seg = strings.TrimSuffix(seg, "\r")
		} else {
			seg = text[pos:]
		}
		if len(seg) > 0 && (seg[0] == ' ' || seg[0] == '\t') {
			parts = append(parts, seg[1:])
		} else {
			flush()
			cur, curLine = seg, lineNo
		}
		pos = next
		lineNo++
	}
	if len(parts) > 0 {
		cur = cur + strings.Join(parts, "")
		parts = parts[:0]
	}
	cur = strings.TrimSpace(cur)
	flush()
	return out
}

// parseContentLine splits one logical line into name, parameters and value.
func parseContentLine(s string) (name string, params []param, value string, err error) {
	valuePos := strings.IndexByte(s, ':')
	paramPos := strings.IndexByte(s, ';')
	if paramPos != -1 && valuePos != -1 && paramPos > valuePos {
		paramPos = -1
	}
	if paramPos == -1 {
		if valuePos == -1 {
			return "", nil, "", fmt.Errorf("invalid line (no \";\" or \":\"): %q", clip(s))
		}
		return strings.ToUpper(s[:valuePos]), nil, s[valuePos+1:], nil
	}
	name = strings.ToUpper(s[:paramPos])
	params = make([]param, 0, 2)
	i := paramPos
	for i < len(s) && s[i] == ';' {
		i++
		eq := strings.IndexByte(s[i:], '=')
		if eq < 0 {
			return "", nil, "", fmt.Errorf("invalid parameters in %q", clip(s))
		}
		pname := strings.ToUpper(s[i : i+eq])
		if pname == "" || strings.Contains(pname, ":") {
			return "", nil, "", fmt.Errorf("invalid parameters in %q", clip(s))
		}
		i += eq + 1
		var pval string
		if i < len(s) && s[i] == '"' {
			q := strings.IndexByte(s[i+1:], '"')
			if q < 0 {
				return "", nil, "", fmt.Errorf("no matching double quote in %q", clip(s))
			}
			pval = s[i+1 : i+1+q]
			i += q + 2
			// skip to the next ';' or ':' (ical.js ignores stray text here)
			for i < len(s) && s[i] != ';' && s[i] != ':' {
				i++
			}
		} else {
			j := i
			for j < len(s) && s[j] != ';' && s[j] != ':' {
				j++
			}
			pval = s[i:j]
			i = j
		}
		params = append(params, param{pname, rfc6868(pval)})
	}
	if i >= len(s) || s[i] != ':' {
		return "", nil, "", fmt.Errorf("missing value in %q", clip(s))
	}
	return name, params, s[i+1:], nil
}

func rfc6868(v string) string {
	if !strings.Contains(v, "^") {
		return v
	}
	r := strings.NewReplacer("^'", "\"", "^n", "\n", "^^", "^")
	return r.Replace(v)
}

func clip(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}

// parseTree builds the component tree. Lines that cannot be parsed are
// skipped with a warning; an unterminated component is an error.
func parseTree(data []byte) ([]*component, []Warning, error) {
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	text := unfoldOctets(data)
	text = strings.TrimPrefix(text, "\uFEFF")
	var roots []*component
	var stack []*component
	var warns []Warning
	for _, ln := range splitLines(text) {
		name, params, value, err := parseContentLine(ln.text)
		if err != nil {
			warns = append(warns, Warning{ln.line, err.Error() + "; line skipped"})
			continue
		}
		if params == nil && name == "BEGIN" {
			c := &component{Name: strings.ToUpper(value), Line: ln.line}
			if len(stack) == 0 {
				roots = append(roots, c)
			} else {
				top := stack[len(stack)-1]
				top.Children = append(top.Children, c)
			}
			stack = append(stack, c)
			continue
		}
		if params == nil && name == "END" {
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
			continue
		}
		if len(stack) == 0 {
			warns = append(warns, Warning{ln.line, "property outside any component; line skipped"})
			continue
		}
		top := stack[len(stack)-1]
		top.Props = append(top.Props, property{Name: name, Params: params, Value: value, Line: ln.line})
	}
	if len(stack) > 0 {
		c := stack[len(stack)-1]
		return nil, warns, fmt.Errorf("line %d: BEGIN:%s has no matching END", c.Line, c.Name)
	}
	return roots, warns, nil
}

// unescapeText decodes a TEXT value (\\ \; \, \n \N).
func unescapeText(v string) string {
	if !strings.Contains(v, "\\") {
		return v
	}
	var sb strings.Builder
	sb.Grow(len(v))
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c == '\\' && i+1 < len(v) {
			switch v[i+1] {
			case '\\', ';', ',':
				sb.WriteByte(v[i+1])
				i++
				continue
			case 'n', 'N':
				sb.WriteByte('\n')
				i++
				continue
			}
		}
		sb.WriteByte(c)
	}
	return sb.String()
}

// splitUnescaped splits v at sep characters not preceded by a backslash.
func splitUnescaped(v string, sep byte) []string {
	var out []string
	last := 0
	for i := 0; i < len(v); i++ {
		if v[i] == sep && (i == 0 || v[i-1] != '\\') {
			out = append(out, v[last:i])
			last = i + 1
		}
	}
	return append(out, v[last:])
}
