// Package autostart starts Standby when the user logs in: an XDG autostart
// entry on Linux and the BSDs, the Run key on Windows and a LaunchAgent on
// macOS. Each entry starts the same binary with BackgroundFlag, so the app
// comes up in the tray without opening its window.
package autostart

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// BackgroundFlag is the flag the login entry passes to the app.
const BackgroundFlag = "--background"

// ErrUnsupported means this system has no login entry Standby can write
// (for example inside a Flatpak sandbox, which needs the Background portal).
var ErrUnsupported = errors.New("start at login is not supported here")

// Entry is what starts at login.
type Entry struct {
	// ID is the reverse-DNS application ID; it names the entry's file
	// (XDG, LaunchAgent) or registry value (Windows).
	ID string
	// Name is the human name shown by the desktop's settings.
	Name string
	// Exec is the absolute path of the binary to start.
	Exec string
	// Args follow Exec; normally just BackgroundFlag.
	Args []string
}

// Status is what the system holds for an entry.
type Status struct {
	// On is true when the entry exists and the desktop will run it.
	On bool
	// Where is the entry's file or registry value.
	Where string
	// Command is the entry's command line as written ("" when absent).
	Command string
	// Stale is true when the entry starts another binary than Entry.Exec
	// (the app moved or was reinstalled elsewhere): Enable rewrites it.
	Stale bool
}

// ForExecutable returns the entry for the running binary, with symlinks
// resolved so the entry keeps working when a launcher link changes.
func ForExecutable(id, name string) (Entry, error) {
	exe, err := os.Executable()
	if err != nil {
		return Entry{}, fmt.Errorf("finding the running binary: %w", err)
	}
	if resolved, err := filepath.EvalSymlinks(exe); err == nil {
		exe = resolved
	}
	return Entry{ID: id, Name: name, Exec: exe, Args: []string{BackgroundFlag}}, nil
}

func (e Entry) check() error {
	if e.ID == "" || e.Name == "" {
		return errors.New("autostart entry needs an ID and a name")
	}
	if !filepath.IsAbs(e.Exec) {
		return fmt.Errorf("autostart entry needs an absolute binary path, not %q", e.Exec)
	}
	if transient(e.Exec) {
		return errTransient
	}
	return nil
}

// errTransient is ErrUnsupported for a binary that `go run` (the quick
// start's `make run`) built in a temporary directory: an entry pointing at
// it would start nothing once the build is cleaned up.
var errTransient = fmt.Errorf("%w: this Standby runs from a temporary `go run` build; install it (the .deb, or `make build`) to start it at login", ErrUnsupported)

// transient reports whether exe is a `go run` build: go run links into
// $TMPDIR/go-buildNNN/bNNN/exe/NAME and removes it when the program ends
// (a test binary, $TMPDIR/go-buildNNN/bNNN/NAME.test, is not one).
func transient(exe string) bool {
	rel, err := filepath.Rel(os.TempDir(), exe)
	if err != nil {
		return false
	}
	parts := strings.Split(filepath.ToSlash(rel), "/")
	return len(parts) == 4 && strings.HasPrefix(parts[0], "go-build") && parts[2] == "exe"
}

// wrap prefixes err with what was being done, except ErrUnsupported,
// whose own words ("…: in the Flatpak sandbox …") are the whole reason.
func wrap(doing string, err error) error {
	if err == nil || errors.Is(err, ErrUnsupported) {
		return err
	}
	return fmt.Errorf("%s: %w", doing, err)
}

// Enable writes the entry (replacing an older one for the same ID).
func Enable(e Entry) error {
	if err := e.check(); err != nil {
		return err
	}
	return wrap("enabling start at login", enable(e))
}

// Disable removes the entry; removing an absent entry is not an error.
func Disable(e Entry) error {
	if err := e.check(); err != nil {
		return err
	}
	return wrap("disabling start at login", disable(e))
}

// Enabled reports whether the entry is on.
func Enabled(e Entry) (bool, error) {
	st, err := Check(e)
	return st.On, err
}

// Check returns what the system holds for the entry; ErrUnsupported
// (with the reason) where this system has no entry Standby can write.
func Check(e Entry) (Status, error) {
	if err := e.check(); err != nil {
		return Status{}, err
	}
	st, err := status(e)
	return st, wrap("reading the start-at-login entry", err)
}

// Enable is Enable(e), so that an Entry can be handed to code that takes
// the login entry as an interface (app.Options.Login).
func (e Entry) Enable() error { return Enable(e) }

// Disable is Disable(e).
func (e Entry) Disable() error { return Disable(e) }

// Check is Check(e).
func (e Entry) Check() (Status, error) { return Check(e) }
