# A project is imported by its numeric id.
terraform import vpnresellers_project.acme 12
