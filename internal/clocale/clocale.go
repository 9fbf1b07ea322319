// Package clocale makes the C and POSIX locales with a codeset (LANG=C.UTF-8,
// the default of Debian's and most containers' images) read as what they are
// before Fyne looks at them: Fyne's translations, set up in a package init,
// take "C.UTF-8" for a language called "C" and print three lines of "Fyne
// error: Error parsing user locale C" on every run, every CLI command
// included. A blank import from package main is enough: it runs before Fyne's
// init (see TestFyneSaysNothingInTheCLocale in cmd/standby).
package clocale

import (
	"os"
	"strings"
)

func init() { Normalize(os.Getenv, os.Setenv) }

// Normalize sets LC_MESSAGES to "C" when messages would be read from a C or
// POSIX locale with a codeset or modifier ("C.UTF-8", "POSIX@euro"), the
// same messages in the form every locale library reads. A user's own
// language (LC_ALL, LC_MESSAGES or LANG, first set wins) is left alone.
func Normalize(getenv func(string) string, setenv func(string, string) error) {
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		v := getenv(k)
		if v == "" {
			continue
		}
		name, _, _ := strings.Cut(v, "@")
		name, _, _ = strings.Cut(name, ".")
		if name == v || (name != "C" && name != "POSIX") {
			return
		}
		if k == "LC_ALL" {
			_ = setenv("LC_ALL", name) // LC_ALL overrides LC_MESSAGES
			return
		}
		_ = setenv("LC_MESSAGES", name)
		return
	}
}
