package settings

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/standby-oncall/standby/internal/secrets"
)

// store writes the secrets of a change and returns how to put back what was
// there before, for when the file cannot be saved afterwards.
func (s *Settings) store(ctx context.Context, put map[string]string) (undo func(context.Context), err error) {
	undo = func(context.Context) {}
	if len(put) == 0 {
		return undo, nil
	}
	if s.secrets == nil {
		return undo, fmt.Errorf("storing a secret: %w", ErrNoKeyring)
	}
	var steps []func(context.Context)
	undo = func(ctx context.Context) {
		for _, f := range slices.Backward(steps) {
			f(ctx)
		}
	}
	for _, key := range slices.Sorted(maps.Keys(put)) {
		restore, err := s.previous(ctx, key)
		if err != nil {
			undo(ctx)
			return nil, err
		}
		if err := s.secrets.Set(ctx, key, put[key]); err != nil {
			undo(ctx)
			return nil, fmt.Errorf("storing a secret in the keyring: %w", err)
		}
		steps = append(steps, restore)
	}
	return undo, nil
}

// previous reads key and returns how to restore it.
func (s *Settings) previous(ctx context.Context, key string) (func(context.Context), error) {
	old, err := s.secrets.Get(ctx, key)
	switch {
	case errors.Is(err, secrets.ErrNotFound):
		return func(ctx context.Context) { _ = s.secrets.Delete(ctx, key) }, nil
	case err != nil:
		return nil, fmt.Errorf("reading the keyring before a change: %w", err)
	}
	return func(ctx context.Context) { _ = s.secrets.Set(ctx, key, old) }, nil
}

// drop deletes secrets the saved configuration no longer refers to.
func (s *Settings) drop(ctx context.Context, keys []string) error {
	if s.secrets == nil || len(keys) == 0 {
		return nil
	}
	var errs []error
	for _, k := range keys {
		if err := s.secrets.Delete(ctx, k); err != nil {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("saved, but a secret could not be deleted from the keyring: %w", err)
	}
	return nil
}
