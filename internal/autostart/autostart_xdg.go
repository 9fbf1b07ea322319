//go:build !windows && !darwin

package autostart

import "os"

// inFlatpak: the sandbox's config directory is not the host's, and its
// binary path is not valid outside; login start there needs the
// Background portal, which Standby does not use yet.
func inFlatpak() bool { return os.Getenv("FLATPAK_ID") != "" }

func enable(e Entry) error {
	if inFlatpak() {
		return ErrUnsupported
	}
	return xdgEnable(e)
}

func disable(e Entry) error {
	if inFlatpak() {
		return ErrUnsupported
	}
	return xdgDisable(e)
}

func status(e Entry) (Status, error) {
	path, err := xdgPath(e.ID)
	if err != nil {
		return Status{}, err
	}
	return xdgStatus(path, e)
}
