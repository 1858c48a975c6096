-- docker-compose.split.yml: one database per domain, created on the PostgreSQL volume's first
-- start (the image runs /docker-entrypoint-initdb.d/*.sql once). Each app container migrates
-- its own domain's schema in its database. `make split` creates the same names itself.
CREATE DATABASE crm_accounts;
CREATE DATABASE crm_customers;
CREATE DATABASE crm_products;
CREATE DATABASE crm_interactions;
