//go:build !windows && !darwin

package autostart

import (
	"fmt"
	"os"
)

// inFlatpak: the sandbox's config directory is not the host's, and its
// binary path is not valid outside; login start there needs the
// Background portal, which Standby does not use yet.
func inFlatpak() bool { return os.Getenv("FLATPAK_ID") != "" }

// errFlatpak is ErrUnsupported with the reason, as the user reads it.
var errFlatpak = fmt.Errorf("%w: in the Flatpak sandbox it needs the Background portal, which Standby does not use yet", ErrUnsupported)

func enable(e Entry) error {
	if inFlatpak() {
		return errFlatpak
	}
	return xdgEnable(e)
}

func disable(e Entry) error {
	if inFlatpak() {
		return errFlatpak
	}
	return xdgDisable(e)
}

func status(e Entry) (Status, error) {
	if inFlatpak() {
		return Status{}, errFlatpak
	}
	path, err := xdgPath(e.ID)
	if err != nil {
		return Status{}, err
	}
	return xdgStatus(path, e)
}
