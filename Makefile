# dmswitch — build, test, demo, bench, install.
# `make deps` installs the Debian packages the build, the tests and the demo need.

PREFIX      ?= /usr/local
BINDIR      ?= $(PREFIX)/bin
UNITDIR     ?= $(shell pkg-config --variable=systemdsystemunitdir systemd 2>/dev/null || echo /lib/systemd/system)
CONFDIR     ?= /etc/dmswitch
SWIFT       ?= swift
SWIFTFLAGS  ?=
CONFIG      ?= debug
ARGS        ?=

# Debian packages: the MariaDB client library and server (tests and demo), libcurl
# (etcd client) and openssl (test certificates), HAProxy (the VIP in tests) and
# socat (its runtime API in the example VIP hook), etcd (multi-host coordination
# tests), systemd tools (unit verification, a private journald in tests),
# util-linux (unshare, setpriv).
DEB_PACKAGES = pkg-config libmariadb-dev libcurl4-openssl-dev openssl mariadb-server mariadb-client haproxy socat \
               etcd-server etcd-client systemd util-linux procps iproute2

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all build release test verify-unit deps install uninstall clean demo bench

all: build

build:
	$(SWIFT) build -c $(CONFIG) $(SWIFTFLAGS)

release:
	$(SWIFT) build -c release $(SWIFTFLAGS)

# Suites run one after another: the integration suites start real servers and an
# application writer that must reach its rate, which two cores shared by parallel
# suites cannot guarantee.
test: deps verify-unit
	$(SWIFT) build --build-tests $(SWIFTFLAGS)
	$(SWIFT) test --skip-build --no-parallel $(SWIFTFLAGS)

# A narrated failover on a whole local deployment; PASS exits 0. Other scenarios:
# make demo ARGS="--scenario address", ARGS="--dm v1", ARGS="--dm v1 --scenario address".
demo: deps build
	.build/$(CONFIG)/dmdemo $(ARGS)

# Detection, switch, recovery and footprint numbers: a table on stdout and
# bench/results.json (about 12 minutes). A release build: a debug build's
# footprint says little. ARGS as for dmbench, e.g. ARGS="--only footprint".
bench: CONFIG = release
bench: deps build
	.build/$(CONFIG)/dmbench --output bench/results.json $(ARGS)

# systemd-analyze verify exits 0 on most mistakes and only warns on stderr, so any output fails.
# It needs an existing ExecStart binary: a copy of the unit points at the one just built.
verify-unit: build
	@dir=$$(mktemp -d) && trap 'rm -rf "$$dir"' EXIT && \
	sed 's|^ExecStart=/usr/local/bin/dmswitchd |ExecStart=$(CURDIR)/.build/$(CONFIG)/dmswitchd |' \
	  systemd/dmswitchd.service > "$$dir/dmswitchd.service" && \
	grep -q '^ExecStart=$(CURDIR)/' "$$dir/dmswitchd.service" || { echo "verify-unit: no ExecStart=/usr/local/bin/dmswitchd line to rewrite" >&2; exit 1; }; \
	out=$$(systemd-analyze verify --man=no "$$dir/dmswitchd.service" 2>&1); rc=$$?; \
	if [ $$rc -ne 0 ] || [ -n "$$out" ]; then \
	  printf '%s\n' "$$out" >&2; echo "verify-unit: systemd/dmswitchd.service does not verify cleanly (rc=$$rc)" >&2; exit 1; \
	fi; \
	echo "verify-unit: systemd/dmswitchd.service verifies cleanly"

deps:
	@missing=""; for p in $(DEB_PACKAGES); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing:$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	else echo "All Debian packages are installed."; fi

install: release
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(UNITDIR) $(DESTDIR)$(CONFDIR)
	install -m 0755 .build/release/dmswitchd .build/release/dmswitchctl $(DESTDIR)$(BINDIR)/
	install -m 0644 systemd/dmswitchd.service $(DESTDIR)$(UNITDIR)/dmswitchd.service
	@if [ -e $(DESTDIR)$(CONFDIR)/dmswitch.toml ]; then \
	  echo "Keeping the existing $(CONFDIR)/dmswitch.toml"; \
	else install -m 0640 etc/dmswitch.toml $(DESTDIR)$(CONFDIR)/dmswitch.toml; fi

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/dmswitchd $(DESTDIR)$(BINDIR)/dmswitchctl $(DESTDIR)$(UNITDIR)/dmswitchd.service

clean:
	rm -rf .build
