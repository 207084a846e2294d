data "vpnresellers_projects" "all" {}

output "project_names" {
  value = { for p in data.vpnresellers_projects.all.projects : p.id => p.name }
}
