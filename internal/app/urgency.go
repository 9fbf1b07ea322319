package app

import "github.com/standby-oncall/standby/internal/page"

// prepareHubPage readies a page pushed by the hub for the engine.
func (s *Service) prepareHubPage(p page.Page) page.Page { return p }
