# A customer is imported by its numeric id (id:34 works too, as for accounts).
terraform import vpnresellers_customer.jane 34
