# The customers of one project (leave project_id out for every customer).
data "vpnresellers_customers" "acme" {
  project_id = 12
}

output "acme_customer_emails" {
  value = data.vpnresellers_customers.acme.customers[*].email
}
