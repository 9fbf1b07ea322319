package main

import (
	"bytes"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/standby-oncall/standby/internal/cli"
)

// help runs `standby ARGS --help` through the real command line.
func help(t *testing.T, args ...string) string {
	t.Helper()
	var out, errb bytes.Buffer
	code := cli.Main(append(args, "--help"), cli.Env{Stdout: &out, Stderr: &errb})
	if code != 0 {
		t.Fatalf("standby %s --help exited %d: %s", strings.Join(args, " "), code, errb.String())
	}
	return out.String()
}

// plain strips the roff markup the generator adds.
func plain(roff string) string {
	return strings.NewReplacer(`\fB`, "", `\fR`, "", `\fI`, "", `\-`, "-", `\e`, `\`, `\&`, "").Replace(roff)
}

// commandPaths reads the command list of the top-level --help.
func commandPaths(t *testing.T) [][]string {
	t.Helper()
	text := help(t)
	_, list, ok := strings.Cut(text, "\nCommands:\n")
	if !ok {
		t.Fatalf("no command list in --help:\n%s", text)
	}
	var paths [][]string
	for _, line := range strings.Split(list, "\n") {
		if !strings.HasPrefix(line, "  ") || strings.HasPrefix(line, "    ") {
			continue
		}
		var path []string
		for _, w := range strings.Fields(line) {
			if strings.HasPrefix(w, "<") || strings.HasPrefix(w, "[") || strings.HasPrefix(w, "-") {
				break
			}
			path = append(path, w)
		}
		paths = append(paths, path)
	}
	return paths
}

var flagRE = regexp.MustCompile(`(?m)^\s+(?:-\w, )?(--[a-z0-9-]+)`)

// TestEveryCommandAndFlag: every command that --help lists, and every flag
// and argument of its own --help, is in the man page.
func TestEveryCommandAndFlag(t *testing.T) {
	var buf bytes.Buffer
	if err := write(&buf, "1.2.3", "2026-12-01"); err != nil {
		t.Fatal(err)
	}
	page := plain(buf.String())
	paths := commandPaths(t)
	if len(paths) < 15 {
		t.Fatalf("only %d commands read from --help: %q", len(paths), paths)
	}
	for _, path := range paths {
		heading := ".SS standby " + strings.Join(path, " ")
		i := strings.Index(page, heading)
		if i < 0 {
			t.Errorf("man page has no section %q", heading)
			continue
		}
		section := page[i+len(heading):]
		if end := strings.Index(section, "\n.SS "); end >= 0 {
			section = section[:end]
		}
		h := help(t, path...)
		for _, m := range flagRE.FindAllStringSubmatch(h, -1) {
			if !strings.Contains(section, m[1]) && !strings.Contains(page[:strings.Index(page, ".SH COMMANDS")], m[1]) {
				t.Errorf("standby %s: flag %s of --help is not in the man page", strings.Join(path, " "), m[1])
			}
		}
		for _, arg := range regexp.MustCompile(`<[a-z-]+>`).FindAllString(strings.SplitN(h, "\n", 2)[0], -1) {
			if !strings.Contains(section, arg) {
				t.Errorf("standby %s: argument %s is not in the man page", strings.Join(path, " "), arg)
			}
		}
	}
	if !strings.Contains(page, `"standby 1.2.3"`) || !strings.Contains(page, `"2026-12-01"`) {
		t.Errorf("version or date missing from the header")
	}
}

// TestManRenders formats the page with man(1) when it is installed and
// fails on any warning groff gives.
func TestManRenders(t *testing.T) {
	man, err := exec.LookPath("man")
	if err != nil {
		t.Skip("man not installed")
	}
	var buf bytes.Buffer
	if err := write(&buf, "1.2.3", ""); err != nil {
		t.Fatal(err)
	}
	f := t.TempDir() + "/standby.1"
	if err := os.WriteFile(f, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(man, "--warnings", "-l", "-Tutf8", f)
	// The page is English; the user's locale (perhaps not even installed)
	// must not make man warn.
	cmd.Env = append(os.Environ(), "MANWIDTH=80", "LANG=C.UTF-8", "LC_ALL=C.UTF-8")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil || stderr.Len() > 0 {
		t.Fatalf("man: %v\n%s", err, stderr.String())
	}
	out = regexp.MustCompile(".\x08").ReplaceAll(out, nil) // overstrike bold
	if !bytes.Contains(out, []byte("COMMANDS")) || !bytes.Contains(out, []byte("standby quiet status")) {
		t.Errorf("rendered page lacks its COMMANDS section:\n%s", out)
	}
}

func TestEscape(t *testing.T) {
	cases := map[string]string{
		`.starts with a dot`: `\&.starts with a dot`,
		`'quote`:             `\&'quote`,
		`a\b-c`:              `a\eb\-c`,
	}
	for in, want := range cases {
		if got := esc(in); got != want {
			t.Errorf("esc(%q) = %q, want %q", in, got, want)
		}
	}
}
