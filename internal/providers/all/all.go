// Package all registers every provider. Only main and tests import it.
package all

import (
	_ "github.com/lswctl/lswctl/internal/providers/leaseweb" // Leaseweb public cloud
)
