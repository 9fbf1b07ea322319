package autostart

import "strings"

// Windows: a value named after the app under
// HKCU\Software\Microsoft\Windows\CurrentVersion\Run. The quoting is pure
// and untagged so Linux CI tests it.

// runKeyPath is the Run key under HKEY_CURRENT_USER.
//
//lint:ignore U1000 used by the windows build (autostart_windows.go)
const runKeyPath = `Software\Microsoft\Windows\CurrentVersion\Run`

// windowsCommandLine quotes argv the way CommandLineToArgvW reads it back:
// arguments with spaces, tabs or quotes go in double quotes, a quote is
// escaped with a backslash, and backslashes before a quote are doubled.
func windowsCommandLine(exe string, args []string) string {
	parts := make([]string, 0, 1+len(args))
	for _, a := range append([]string{exe}, args...) {
		parts = append(parts, windowsQuote(a))
	}
	return strings.Join(parts, " ")
}

func windowsQuote(a string) string {
	if a != "" && !strings.ContainsAny(a, " \t\n\v\"") {
		return a
	}
	var b strings.Builder
	b.WriteByte('"')
	slashes := 0
	for _, r := range a {
		switch r {
		case '\\':
			slashes++
		case '"':
			b.WriteString(strings.Repeat(`\`, 2*slashes+1))
			slashes = 0
		default:
			b.WriteString(strings.Repeat(`\`, slashes))
			slashes = 0
		}
		if r != '\\' {
			b.WriteRune(r)
		}
	}
	b.WriteString(strings.Repeat(`\`, 2*slashes))
	b.WriteByte('"')
	return b.String()
}

// runKeyExe returns the program of a Run value (its first argument).
func runKeyExe(cmd string) string {
	cmd = strings.TrimSpace(cmd)
	if strings.HasPrefix(cmd, `"`) {
		if end := strings.IndexByte(cmd[1:], '"'); end >= 0 {
			return cmd[1 : 1+end]
		}
		return cmd[1:]
	}
	exe, _, _ := strings.Cut(cmd, " ")
	return exe
}
