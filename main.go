// Command lswctl reconciles Leaseweb infrastructure with YAML kept in git.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/lswctl/lswctl/internal/cli"
	_ "github.com/lswctl/lswctl/internal/providers/all"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() { <-ctx.Done(); stop() }() // a second Ctrl-C exits at once
	os.Exit(cli.Main(ctx, os.Args, cli.OSEnv()))
}
