package autostart

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// XDG autostart: a desktop entry in $XDG_CONFIG_HOME/autostart (see the
// freedesktop Desktop Application Autostart Specification). Pure helpers
// live here, untagged, so every platform's tests cover them.

// xdgPath returns $XDG_CONFIG_HOME/autostart/ID.desktop, with the spec's
// default of ~/.config.
func xdgPath(id string) (string, error) {
	dir := os.Getenv("XDG_CONFIG_HOME")
	if dir == "" || !filepath.IsAbs(dir) {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("finding the config directory: %w", err)
		}
		dir = filepath.Join(home, ".config")
	}
	return filepath.Join(dir, "autostart", id+".desktop"), nil
}

// desktopEntry renders the autostart file.
func desktopEntry(e Entry) string {
	var b strings.Builder
	b.WriteString("[Desktop Entry]\n")
	b.WriteString("Type=Application\n")
	fmt.Fprintf(&b, "Name=%s\n", escapeValue(e.Name))
	fmt.Fprintf(&b, "Exec=%s\n", escapeValue(execLine(e.Exec, e.Args)))
	fmt.Fprintf(&b, "Icon=%s\n", escapeValue(e.ID))
	b.WriteString("Terminal=false\n")
	b.WriteString("X-GNOME-Autostart-enabled=true\n")
	return b.String()
}

// execLine quotes a command for a desktop entry's Exec key: arguments with
// reserved characters go in double quotes with ", `, $ and \ escaped, and
// % (field codes) is doubled.
func execLine(exe string, args []string) string {
	parts := make([]string, 0, 1+len(args))
	for _, a := range append([]string{exe}, args...) {
		a = strings.ReplaceAll(a, "%", "%%")
		if a != "" && !strings.ContainsAny(a, " \t\n\"'\\><~|&;$*?#()`") {
			parts = append(parts, a)
			continue
		}
		var q strings.Builder
		q.WriteByte('"')
		for _, r := range a {
			if strings.ContainsRune("\"`$\\", r) {
				q.WriteByte('\\')
			}
			q.WriteRune(r)
		}
		q.WriteByte('"')
		parts = append(parts, q.String())
	}
	return strings.Join(parts, " ")
}

// escapeValue applies the desktop entry string escapes (\\, \n, \t, \r).
func escapeValue(s string) string {
	return strings.NewReplacer(`\`, `\\`, "\n", `\n`, "\t", `\t`, "\r", `\r`).Replace(s)
}

// unescapeValue reverses escapeValue.
func unescapeValue(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' || i+1 == len(s) {
			b.WriteByte(s[i])
			continue
		}
		i++
		switch s[i] {
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case 'r':
			b.WriteByte('\r')
		case 's':
			b.WriteByte(' ')
		default:
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

// SplitExec parses a desktop entry's (unescaped) Exec value into argv, the
// way a desktop environment does: the inverse of the quoting above, with
// %% read as %. Field codes (%f, %u…) are dropped.
func SplitExec(line string) ([]string, error) {
	var argv []string
	var cur strings.Builder
	inArg, quoted := false, false
	rs := []rune(line)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case quoted && r == '\\' && i+1 < len(rs):
			i++
			cur.WriteRune(rs[i])
		case r == '"':
			quoted, inArg = !quoted, true
		case !quoted && (r == ' ' || r == '\t'):
			if inArg {
				argv, inArg = append(argv, cur.String()), false
				cur.Reset()
			}
		case r == '%' && i+1 < len(rs):
			i++
			if rs[i] == '%' {
				cur.WriteRune('%')
				inArg = true
			}
		default:
			cur.WriteRune(r)
			inArg = true
		}
	}
	if quoted {
		return nil, errors.New("unterminated quote in Exec line")
	}
	if inArg {
		argv = append(argv, cur.String())
	}
	if len(argv) == 0 {
		return nil, errors.New("empty Exec line")
	}
	return argv, nil
}

// desktopKeys reads the [Desktop Entry] group's keys (values unescaped).
func desktopKeys(body string) map[string]string {
	keys := map[string]string{}
	group := ""
	sc := bufio.NewScanner(strings.NewReader(body))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasPrefix(line, "[") {
			group = line
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if ok && group == "[Desktop Entry]" {
			keys[strings.TrimSpace(k)] = unescapeValue(strings.TrimSpace(v))
		}
	}
	return keys
}

// xdgStatus reads the entry at path. A file the desktop will skip (Hidden,
// X-GNOME-Autostart-enabled=false, as settings apps write) is off.
func xdgStatus(path string, e Entry) (Status, error) {
	st := Status{Where: path}
	body, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return st, nil
	}
	if err != nil {
		return st, err
	}
	keys := desktopKeys(string(body))
	st.Command = keys["Exec"]
	st.On = keys["Hidden"] != "true" && keys["X-GNOME-Autostart-enabled"] != "false" && st.Command != ""
	if argv, err := SplitExec(st.Command); err != nil || argv[0] != e.Exec {
		st.Stale = true
	}
	return st, nil
}

func xdgEnable(e Entry) error {
	path, err := xdgPath(e.ID)
	if err != nil {
		return err
	}
	return writeFileAtomic(path, []byte(desktopEntry(e)))
}

func xdgDisable(e Entry) error {
	path, err := xdgPath(e.ID)
	if err != nil {
		return err
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}

// writeFileAtomic writes through a temporary file and a rename, so a crash
// never leaves a half-written entry for the desktop to trip over.
func writeFileAtomic(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
