//go:build darwin

package autostart

import (
	"errors"
	"os"
)

func enable(e Entry) error {
	path, err := launchAgentPath(e.ID)
	if err != nil {
		return err
	}
	return writeFileAtomic(path, launchAgentPlist(e))
}

func disable(e Entry) error {
	path, err := launchAgentPath(e.ID)
	if err != nil {
		return err
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}

func status(e Entry) (Status, error) {
	path, err := launchAgentPath(e.ID)
	if err != nil {
		return Status{}, err
	}
	return launchAgentStatus(path, e)
}
