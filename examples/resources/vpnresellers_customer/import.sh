# A customer is imported by its numeric id.
terraform import vpnresellers_customer.jane 34
