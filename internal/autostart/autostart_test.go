package autostart

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// helperEnv makes the test binary print its argv as JSON and exit: the
// tests start it through the Exec line they wrote, as a desktop would.
const helperEnv = "STANDBY_AUTOSTART_TEST_HELPER"

func TestMain(m *testing.M) {
	if os.Getenv(helperEnv) == "1" {
		exe, _ := os.Executable()
		json.NewEncoder(os.Stdout).Encode(append([]string{exe}, os.Args[1:]...)) //nolint:errcheck
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func needXDG(t *testing.T) {
	t.Helper()
	if runtime.GOOS == "windows" || runtime.GOOS == "darwin" {
		t.Skip("XDG autostart is the Linux and BSD path")
	}
	t.Setenv("FLATPAK_ID", "")
}

// runExec starts the entry's Exec line the way a desktop does and returns
// the argv the started program saw (its own resolved path first).
func runExec(t *testing.T, line string) []string {
	t.Helper()
	argv, err := SplitExec(line)
	if err != nil {
		t.Fatalf("SplitExec(%q): %v", line, err)
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = append(os.Environ(), helperEnv+"=1")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("running %q: %v", argv, err)
	}
	var seen []string
	if err := json.Unmarshal(out, &seen); err != nil {
		t.Fatalf("helper output %q: %v", out, err)
	}
	return seen
}

// TestXDGEndToEnd: the file appears and disappears, the desktop reads it
// as on, and its Exec line starts this same binary with --background.
func TestXDGEndToEnd(t *testing.T) {
	needXDG(t)
	cfg := filepath.Join(t.TempDir(), "config dir")
	t.Setenv("XDG_CONFIG_HOME", cfg)
	e, err := ForExecutable("dev.standby.Standby", "Standby")
	if err != nil {
		t.Fatal(err)
	}
	want := filepath.Join(cfg, "autostart", "dev.standby.Standby.desktop")
	if on, err := Enabled(e); err != nil || on {
		t.Fatalf("before Enable: Enabled = %v, %v; want false", on, err)
	}
	if err := Enable(e); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(want); err != nil {
		t.Fatalf("no autostart file: %v", err)
	}
	st, err := Check(e)
	if err != nil || !st.On || st.Stale || st.Where != want {
		t.Fatalf("Check = %+v, %v; want on at %s", st, err, want)
	}
	if path, err := exec.LookPath("desktop-file-validate"); err == nil {
		if out, err := exec.Command(path, want).CombinedOutput(); err != nil || len(out) > 0 {
			t.Errorf("desktop-file-validate: %v\n%s", err, out)
		}
	} else {
		t.Log("desktop-file-validate not installed (make test installs it); file not validated")
	}
	seen := runExec(t, st.Command)
	if !slices.Equal(seen, []string{e.Exec, BackgroundFlag}) {
		t.Errorf("Exec line started %q, want %q", seen, []string{e.Exec, BackgroundFlag})
	}
	if err := Disable(e); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(want); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("autostart file still there after Disable: %v", err)
	}
	if on, err := Enabled(e); err != nil || on {
		t.Fatalf("after Disable: Enabled = %v, %v", on, err)
	}
	if err := Disable(e); err != nil {
		t.Fatalf("second Disable: %v", err)
	}
}

// TestXDGOddPath: a binary whose path holds every character the Exec
// quoting rules treat specially still starts from the entry.
func TestXDGOddPath(t *testing.T) {
	needXDG(t)
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	body, err := os.ReadFile(self)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), `it's "odd" $HOME %u \ `+"`x`", "b;c&(d)")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	exe := filepath.Join(dir, "stand by")
	if err := os.WriteFile(exe, body, 0o755); err != nil {
		t.Fatal(err)
	}
	e := Entry{ID: "dev.standby.Standby", Name: "Standby", Exec: exe, Args: []string{BackgroundFlag, "100%"}}
	if err := Enable(e); err != nil {
		t.Fatal(err)
	}
	st, err := Check(e)
	if err != nil || !st.On || st.Stale {
		t.Fatalf("Check = %+v, %v", st, err)
	}
	seen := runExec(t, st.Command)
	if !slices.Equal(seen, []string{exe, BackgroundFlag, "100%"}) {
		t.Errorf("Exec line %q started %q", st.Command, seen)
	}
}

// TestXDGStatus covers entries the user or another binary changed.
func TestXDGStatus(t *testing.T) {
	e := Entry{ID: "dev.standby.Standby", Name: "Standby", Exec: "/usr/bin/standby", Args: []string{BackgroundFlag}}
	cases := []struct {
		name      string
		body      string
		on, stale bool
	}{
		{"ours", desktopEntry(e), true, false},
		{"hidden by the user", desktopEntry(e) + "Hidden=true\n", false, false},
		{"off in GNOME settings", strings.Replace(desktopEntry(e), "X-GNOME-Autostart-enabled=true", "X-GNOME-Autostart-enabled=false", 1), false, false},
		{"another binary", strings.Replace(desktopEntry(e), "/usr/bin/standby", "/opt/old/standby", 1), true, true},
		{"Exec in another group", "[Desktop Action x]\nExec=/usr/bin/standby\n", false, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "e.desktop")
			if err := os.WriteFile(path, []byte(c.body), 0o644); err != nil {
				t.Fatal(err)
			}
			st, err := xdgStatus(path, e)
			if err != nil || st.On != c.on || st.Stale != c.stale {
				t.Errorf("xdgStatus = %+v, %v; want on=%v stale=%v", st, err, c.on, c.stale)
			}
		})
	}
}

func TestFlatpakUnsupported(t *testing.T) {
	needXDG(t)
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	t.Setenv("FLATPAK_ID", "dev.standby.Standby")
	e := Entry{ID: "dev.standby.Standby", Name: "Standby", Exec: "/app/bin/standby"}
	if err := Enable(e); !errors.Is(err, ErrUnsupported) {
		t.Fatalf("Enable in a Flatpak = %v, want ErrUnsupported", err)
	}
	// Check says so too (the sandbox's config directory is not the
	// host's), and every error is the reason in one line, unprefixed.
	for name, f := range map[string]func() error{
		"Enable": e.Enable, "Disable": e.Disable,
		"Check": func() error { _, err := e.Check(); return err },
	} {
		err := f()
		if !errors.Is(err, ErrUnsupported) || !strings.HasPrefix(err.Error(), ErrUnsupported.Error()+": ") || !strings.Contains(err.Error(), "Flatpak") {
			t.Errorf("%s in a Flatpak = %v, want ErrUnsupported with the Flatpak reason", name, err)
		}
	}
}

func TestEntryChecked(t *testing.T) {
	for _, e := range []Entry{
		{ID: "x", Name: "X", Exec: "standby"},
		{ID: "", Name: "X", Exec: "/usr/bin/standby"},
	} {
		if err := Enable(e); err == nil {
			t.Errorf("Enable(%+v) = nil, want an error", e)
		}
	}
}

func TestSplitExecErrors(t *testing.T) {
	for _, line := range []string{"", "   ", `"/usr/bin/standby`} {
		if _, err := SplitExec(line); err == nil {
			t.Errorf("SplitExec(%q) = nil error", line)
		}
	}
	argv, err := SplitExec("standby %U --background")
	if err != nil || !slices.Equal(argv, []string{"standby", "--background"}) {
		t.Errorf("field code not dropped: %q, %v", argv, err)
	}
}

func TestLaunchAgentRoundTrip(t *testing.T) {
	e := Entry{ID: "dev.standby.Standby", Name: "Standby", Exec: "/Applications/Standby & Co.app/Contents/MacOS/standby", Args: []string{BackgroundFlag}}
	body := launchAgentPlist(e)
	for _, s := range []string{"<key>RunAtLoad</key>\n\t<true/>", "<key>Label</key>\n\t<string>dev.standby.Standby</string>", "Standby &amp; Co.app"} {
		if !strings.Contains(string(body), s) {
			t.Errorf("plist lacks %q:\n%s", s, body)
		}
	}
	args, err := plistArgs(body)
	if err != nil || !slices.Equal(args, []string{e.Exec, BackgroundFlag}) {
		t.Fatalf("plistArgs = %q, %v", args, err)
	}
	path := filepath.Join(t.TempDir(), "a.plist")
	if err := writeFileAtomic(path, body); err != nil {
		t.Fatal(err)
	}
	st, err := launchAgentStatus(path, Entry{ID: e.ID, Name: e.Name, Exec: "/elsewhere/standby"})
	if err != nil || !st.On || !st.Stale {
		t.Errorf("launchAgentStatus for a moved app = %+v, %v; want on and stale", st, err)
	}
	if _, err := plistArgs([]byte("<plist><dict></dict></plist>")); err == nil {
		t.Error("plist without ProgramArguments accepted")
	}
}

// TestWindowsCommandLine follows the CommandLineToArgvW rules.
func TestWindowsCommandLine(t *testing.T) {
	cases := []struct {
		exe  string
		args []string
		want string
	}{
		{`C:\Users\a\standby.exe`, []string{BackgroundFlag}, `C:\Users\a\standby.exe --background`},
		{`C:\Program Files\Standby\standby.exe`, []string{BackgroundFlag}, `"C:\Program Files\Standby\standby.exe" --background`},
		{`C:\x\standby.exe`, []string{`say "hi"`, `C:\dir with space\`, ""}, `C:\x\standby.exe "say \"hi\"" "C:\dir with space\\" ""`},
	}
	for _, c := range cases {
		got := windowsCommandLine(c.exe, c.args)
		if got != c.want {
			t.Errorf("windowsCommandLine(%q, %q) = %s, want %s", c.exe, c.args, got, c.want)
		}
		if exe := runKeyExe(got); exe != c.exe {
			t.Errorf("runKeyExe(%s) = %q, want %q", got, exe, c.exe)
		}
	}
}

// TestGoRunBuildIsNotWritten: `make run` (go run) runs a binary that Go
// deletes when it exits; a login entry must never point at it, so start at
// login is unsupported there, with the reason, while a test binary or an
// installed one is fine.
func TestGoRunBuildIsNotWritten(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	tmp := os.TempDir()
	for exe, want := range map[string]bool{
		filepath.Join(tmp, "go-build2837", "b001", "exe", "standby"):   true,
		filepath.Join(tmp, "go-build2837", "b001", "standby.test"):     false,
		filepath.Join(tmp, "go-build2837", "b001", "exe", "x", "more"): false,
		"/usr/bin/standby": false,
	} {
		e := Entry{ID: "dev.standby.Standby", Name: "Standby", Exec: exe, Args: []string{BackgroundFlag}}
		_, err := Check(e)
		if got := errors.Is(err, ErrUnsupported); got != want {
			t.Errorf("%s: Check = %v, unsupported %v, want %v", exe, err, got, want)
		}
		if want && (Enable(e) == nil || !strings.Contains(err.Error(), "go run")) {
			t.Errorf("%s: Enable wrote an entry for a go run build, or the reason is missing (%v)", exe, err)
		}
	}
}
