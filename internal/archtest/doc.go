// Package archtest enforces the architecture with tests; it has no code of its own.
package archtest
