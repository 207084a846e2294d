#!/usr/bin/env bash
# The configuration layouts of tools/bench/terraform.sh (MODE=NAME), which
# sources this file after reading its parameters: N and API_ACCOUNTS are
# set.
# shellcheck disable=SC2154 # N and API_ACCOUNTS come from terraform.sh

# ---------------------------------------------------------------------------
# Layouts. A layout NAME is four functions:
#   layout_NAME_provider   prints the configuration using the provider
#   layout_NAME_floor      prints the same graph with terraform_data
#   layout_NAME_noop       prints the same graph with benchnoop_thing
#   layout_NAME_calls P    prints the minimum API calls of phase P
#                          (apply, plan or destroy)
# and, for a layout whose resource the provider serves straight through
# terraform-plugin-go (NewServer), a fifth:
#   layout_NAME_dnoop      prints the same graph with a no-call resource
#                          served that way; the limit then starts from it
# or, for a layout of the single resources (on the framework), a fifth:
#   layout_NAME_snoop      prints the same graph with no-call framework
#                          resources of the provider's own schemas: the
#                          second floor, printed beside the limit
# Add a layout by adding its functions; run it with MODE=NAME.
# ---------------------------------------------------------------------------

# noop_required_providers prints the terraform block of a noop layout. A
# noop layout whose graph is its floor's is that floor with benchnoop_thing
# for terraform_data.
noop_required_providers() {
	cat <<EOF
terraform {
  required_providers {
    benchnoop = { source = "vpnresellers/benchnoop" }
  }
}

EOF
}

# graph: N projects -> N customers -> N accounts (3N resources).
layout_graph_provider() {
	cat <<EOF
terraform {
  required_providers {
    vpnresellers = { source = "vpnresellers/vpnresellers" }
  }
}

resource "vpnresellers_project" "p" {
  count       = $N
  name        = "bench-\${count.index}"
  description = "benchmark project"
}

resource "vpnresellers_customer" "c" {
  count      = $N
  project_id = vpnresellers_project.p[count.index].id
  first_name = "Bench"
  last_name  = "Customer \${count.index}"
  email      = "bench-\${count.index}@example.com"
}

resource "vpnresellers_account" "a" {
  count       = $N
  username    = "bench-\${count.index}"
  password    = "bench-password-\${count.index}"
  customer_id = vpnresellers_customer.c[count.index].id
}
EOF
}

layout_graph_floor() {
	cat <<EOF
resource "terraform_data" "p" {
  count = $N
  input = { name = "bench-\${count.index}", description = "benchmark project" }
}

resource "terraform_data" "c" {
  count = $N
  input = {
    project_id = terraform_data.p[count.index].id
    first_name = "Bench"
    last_name  = "Customer \${count.index}"
    email      = "bench-\${count.index}@example.com"
  }
}

resource "terraform_data" "a" {
  count = $N
  input = {
    username    = "bench-\${count.index}"
    password    = "bench-password-\${count.index}"
    customer_id = terraform_data.c[count.index].id
  }
}
EOF
}

layout_graph_noop() {
	noop_required_providers
	layout_graph_floor | sed 's/terraform_data/benchnoop_thing/g'
}

# same_schema_noop prints a provider layout with the no-call resources of
# the same schemas (benchnoop_project, benchnoop_customer, benchnoop_account).
same_schema_noop() {
	sed 's|vpnresellers = { source = "vpnresellers/vpnresellers" }|benchnoop = { source = "vpnresellers/benchnoop" }|; s/vpnresellers_/benchnoop_/g'
}

layout_graph_snoop() { layout_graph_provider | same_schema_noop; }

# reads_cost N TOTAL: the requests of N reads of single objects (a refresh)
# among TOTAL of their kind on the API, as the client serves them
# (internal/client/reads.go): 4 GETs, the first page of the list, then GETs
# until they cost what the rest of the list would, then the rest of the list.
reads_cost() {
	local n="$1" pages=$((($2 + 99) / 100)) probe=4
	((pages < 1)) && pages=1
	if ((n <= probe)); then
		echo "$n"
		return
	fi
	local need=$((pages - 1 - probe)) rest=$((n - probe - 1))
	((need < 0)) && need=0
	if ((rest <= need)); then
		echo $((probe + 1 + rest))
	else
		# The rest of the walk: its pages and a seam check per boundary.
		echo $((probe + 1 + need + 2 * (pages - 1)))
	fi
}

# Apply: one create per object, the claim's PUT of each project and customer
# (created carrying a one-time claim, then set), plus the plan-time
# check_username of each new account (twice: Terraform plans each resource
# again during apply) and the high-water-mark reads the exactly-once creates
# take once per kind and provider run (at most 2 per kind). Plan: the
# refresh of each kind (reads_cost). Destroy: the refresh plus one DELETE
# per object.
layout_graph_calls() {
	local reads=$((3 * $(reads_cost "$N" "$N")))
	case "$1" in
	apply) echo $((7 * N + 6)) ;;
	plan) echo "$reads" ;;
	destroy) echo $((reads + 3 * N)) ;;
	esac
}

# accounts: N vpnresellers_account resources with no customer (compare with
# MODE=fleet: the same N accounts in one vpnresellers_accounts resource).
layout_accounts_provider() {
	cat <<EOF
terraform {
  required_providers {
    vpnresellers = { source = "vpnresellers/vpnresellers" }
  }
}

resource "vpnresellers_account" "a" {
  count    = $N
  username = format("fleet-%05d", count.index)
  password = "fleet-password-\${count.index}"
}
EOF
}

layout_accounts_floor() {
	cat <<EOF
resource "terraform_data" "a" {
  count = $N
  input = { username = format("fleet-%05d", count.index), password = "fleet-password-\${count.index}" }
}
EOF
}

layout_accounts_noop() {
	noop_required_providers
	layout_accounts_floor | sed 's/terraform_data/benchnoop_thing/g'
}

layout_accounts_snoop() { layout_accounts_provider | same_schema_noop; }

layout_accounts_calls() {
	local reads
	reads="$(reads_cost "$N" $((N + API_ACCOUNTS)))"
	case "$1" in
	apply) echo $((3 * N + 2)) ;;
	plan) echo "$reads" ;;
	destroy) echo $((reads + N)) ;;
	esac
}

# fleet: the N accounts of MODE=accounts in one vpnresellers_accounts.
layout_fleet_provider() {
	cat <<EOF
terraform {
  required_providers {
    vpnresellers = { source = "vpnresellers/vpnresellers" }
  }
}

locals {
  users = toset(flatten([for h in range(ceil($N / 1000)) : [for i in range(h * 1000, min($N, h * 1000 + 1000)) : format("fleet-%05d", i)]]))
}

resource "vpnresellers_accounts" "fleet" {
  accounts             = { for u in local.users : u => {} }
  passwords_wo         = { for u in local.users : u => "fleet-password-\${u}" }
  passwords_wo_version = 1
  deletion_protection  = false # the benchmark destroys it
}
EOF
}

# The floor holds what the fleet's state holds: a map of N objects of the
# nine attributes of an entry, with values as long as the API's.
layout_fleet_floor() {
	cat <<EOF
locals {
  # range() makes at most 1024 values: N is built 1000 at a time.
  index = flatten([for h in range(ceil($N / 1000)) : range(h * 1000, min($N, h * 1000 + 1000))])
}

resource "terraform_data" "fleet" {
  input = { for i in local.index : format("fleet-%05d", i) => {
    customer_id   = null
    enabled       = true
    expire_at     = null
    id            = 100000 + i
    status        = "Active"
    wg_ip         = format("10.8.%d.%d", floor(i / 250), i % 250 + 2)
    wg_public_key = format("%044d", i)
    created       = "2026-01-01 00:00:00"
    updated       = "2026-01-01 00:00:00"
  } }
}
EOF
}

layout_fleet_noop() {
	noop_required_providers
	cat <<EOF
locals {
  users = toset(flatten([for h in range(ceil($N / 1000)) : [for i in range(h * 1000, min($N, h * 1000 + 1000)) : format("fleet-%05d", i)]]))
}

# benchnoop_accounts has the schema of vpnresellers_accounts and makes no call.
resource "benchnoop_accounts" "fleet" {
  accounts             = { for u in local.users : u => {} }
  passwords_wo         = { for u in local.users : u => "fleet-password-\${u}" }
  passwords_wo_version = 1
  deletion_protection  = false
}
EOF
}

# benchnoop_directaccounts is benchnoop_accounts served as the provider
# serves vpnresellers_accounts: straight through terraform-plugin-go.
layout_fleet_dnoop() {
	layout_fleet_noop | sed 's/benchnoop_accounts/benchnoop_directaccounts/'
}

# Apply: one create per account, plus the plan-time check of the new names
# (one walk of the account list above 10 names) and the high-water mark.
# Plan, and destroy's refresh: the paged account list (100 a page). Destroy:
# one DELETE per account.
layout_fleet_calls() {
	# A walk of the account list: its pages and a seam check per boundary.
	local pages=$((2 * ((N + API_ACCOUNTS + 99) / 100) - 1))
	case "$1" in
	apply) echo $((N + 4)) ;;
	plan) echo "$pages" ;;
	destroy) echo $((pages + N)) ;;
	esac
}
