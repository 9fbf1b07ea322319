// Package archtest enforces the architecture: rules.txt is the one table
// of which packages may depend on which (parts and "never" rules, as in the
// design), this package parses and checks it, and its tests run the check
// on every package of the module, test files included, and also check the
// pure-Go build without cgo and the one application ID.
package archtest
