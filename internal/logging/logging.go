// Package logging sets up Standby's log: JSON lines in a rotated file under
// the user's state directory, with secrets redacted by attribute name.
package logging

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"gopkg.in/natefinch/lumberjack.v2"
)

// Dir returns the log directory: $XDG_STATE_HOME/standby (default
// ~/.local/state/standby) on Unix, the cache directory elsewhere.
func Dir() (string, error) {
	if runtime.GOOS != "windows" && runtime.GOOS != "darwin" {
		if d := os.Getenv("XDG_STATE_HOME"); d != "" {
			return filepath.Join(d, "standby"), nil
		}
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("finding the home directory: %w", err)
		}
		return filepath.Join(home, ".local", "state", "standby"), nil
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("finding the cache directory: %w", err)
	}
	return filepath.Join(d, "standby", "logs"), nil
}

// Open returns a logger writing to dir/standby.log, rotated at 5 MB with
// 3 old files kept, and the closer to flush it.
func Open(dir string, level slog.Level) (*slog.Logger, io.Closer, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, nil, fmt.Errorf("creating log directory: %w", err)
	}
	w := &lumberjack.Logger{Filename: filepath.Join(dir, "standby.log"), MaxSize: 5, MaxBackups: 3, Compress: true}
	return New(w, level), w, nil
}

// New returns a redacting JSON logger on w.
func New(w io.Writer, level slog.Level) *slog.Logger {
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: level, ReplaceAttr: Redact}))
}

// secretWords mark attribute names whose values are never logged.
var secretWords = []string{"token", "secret", "password", "passwd", "authorization", "apikey", "api_key", "seed", "credential"}

// Redact replaces the value of any attribute whose name suggests a secret.
// It is a slog ReplaceAttr function.
func Redact(_ []string, a slog.Attr) slog.Attr {
	k := strings.ToLower(a.Key)
	for _, w := range secretWords {
		if strings.Contains(k, w) {
			return slog.String(a.Key, "REDACTED")
		}
	}
	return a
}
