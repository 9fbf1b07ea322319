// Package sourcetest is the conformance suite every source adapter passes,
// in the manner of restic's internal/backend/test: an adapter's test builds
// a Harness (the Source wired to a real or fake upstream plus hooks to drive
// that upstream) and calls Run, which runs the same behavioural tests for
// every paging system:
//
//   - List shows a fired page with ID.Source = Name(), a stable upstream id,
//     its title and its urgency, and drops it once it is closed upstream.
//   - Ack makes List report it acknowledged (and by whom, where the system
//     says); Unack, Resolve and Note do what they claim where Caps says so,
//     and return a KindUnsupported *source.Error where it does not.
//   - A Note written with source.ClaimNoteText comes back through List as a
//     page.Claim with Origin upstream.
//   - Every broken answer (401, 500, 429, broken JSON, an HTML page, a
//     timeout, a failure half-way through a multi-request List) is an error
//     of the right Kind with a short message, never a partial or empty list
//     that would read as "all resolved", and never contains the credential.
//
// A ten-line user:
//
//	func TestConformance(t *testing.T) {
//		sourcetest.Run(t, func(t *testing.T) sourcetest.Harness {
//			up := fake.New(t)
//			src, err := mysource.New(mysource.Config{Name: "x", URL: up.URL}, up.Client())
//			if err != nil {
//				t.Fatal(err)
//			}
//			return sourcetest.Harness{Source: src, Fire: up.Fire, ...}
//		})
//	}
package sourcetest
