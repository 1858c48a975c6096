"""Names vulture cannot see used: Django, DRF and drf-spectacular find them by name, through a
setting, a field declaration or a framework signature. Reviewed by hand; each group says who
uses its names. Hooks and options used everywhere (``Meta``, ``list_display``, ``get``...) are in
``[tool.vulture] ignore_names`` in pyproject.toml instead. Add a name here only when a framework
really calls it; dead code is removed, not listed.
"""

# Named in settings (REST_FRAMEWORK, MIDDLEWARE, DATABASE_ROUTERS, handler404, DATABASES).
JWTAuthentication
exception_handler
OptionalTrailingSlashMiddleware
JSONNotFoundMiddleware
RequestActorMiddleware
ContentSecurityPolicyMiddleware
DecimalJSONParser
not_found
DomainRouter
_.db_for_read
_.db_for_write
_.allow_relation
_.allow_migrate
build_databases

# Read by Django by name: the manager factory skips queryset methods marked queryset_only; an
# admin option of the audit trails' changelists.
_.queryset_only
show_full_result_count

# Public helper for scripts (README "Audit trail"): a `manage.py shell` session or a command that
# acts for someone says who, so its changes are not recorded as nobody's.
acting_as

# drf-spectacular extension, registered by subclassing (imported by CrmConfig.ready).
BearerJWTScheme

# Arguments a framework passes by keyword, required in the signature even when unused.
context  # DRF exception handler
media_type  # DRF parser
app_configs  # Django system check
verbosity  # Django's test database creation
model_name  # Django database router
cls  # Model.from_db (a classmethod Django calls; accounts' User tracks is_active there)
model_admin  # Django admin list filter
sender  # Django signal receivers (accounts: post_migrate, permission cache upkeep)

# Declarative fields: models, serializers, forms and FilterSets read their class attributes.
pages
current_page
products
transactions
cd_reversal_of
reversal_of
cd_idempotency_key
cd_customer_history
cd_product_history
cd_transaction_history
active_only
search
city
min_price
max_price
ds_customer_phone
ds_customer_address
ds_customer_city
ds_customer_state
ds_customer_zip_code
ds_customer_country
dt_customer_created_at
dt_customer_updated_at
dt_product_created_at
dt_product_updated_at
vr_total_entradas  # also LedgerTotals' fields, rendered through dataclasses.asdict
vr_total_saidas
vr_saldo
qt_transactions

# Enum members reached through ``.choices``/``.values`` (model choices).
VENDA
LIGACAO
EMAIL
REUNIAO
CONTATO
SERVICO

# Django migration operations (crm.db.counts, crm.db.trigram): used by the domains' migrations,
# which vulture does not scan; Django's migration executor calls these hooks by name.
CountRows
AddTrigramIndex
_.reversible
_.deconstruct
_.state_forwards
_.database_forwards
_.database_backwards
_.describe
_.migration_name_fragment
from_state  # migration operation signature
to_state

# Ledger totals (ledger.models): columns written by database triggers, read by name in
# values_list()/Sum(); an abstract base's Meta option.
vr_entradas_cents
vr_saidas_cents
abstract
TranslatedBrowsableAPIRenderer  # REST_FRAMEWORK["DEFAULT_RENDERER_CLASSES"]
_.many  # DRF reads serializer.many on the stand-in it gets as data.serializer
_.site_url  # AdminSite attributes set by the composition root
_.enable_nav_sidebar
_.label_from_instance  # ModelChoiceField hook: the permission's label
_.get_readonly_fields  # ModelAdmin hook
Media  # ModelAdmin.Media (its css)
_.css

# The seed's password hasher (domains.accounts.hashers), called by Django through
# PASSWORD_HASHERS: the BasePasswordHasher protocol.
_.verify
_.safe_summary
_.must_update
_.harden_runtime

# psycopg connection/cursor settings read by the driver (import_seed's seed reader).
_.read_only
_.isolation_level
_.itersize
URL_FORMAT_OVERRIDE  # DRF's content negotiation reads it from its settings object
content_negotiation_class  # DRF APIView option
_.flush  # zipfile calls it on the file object it writes to (crm.spreadsheets._Sink)
money  # template filter, {{ value|money }}
crm_index_panels  # template tag, {% crm_index_panels as panels %}
crm_admin_log_available  # template tag, admin/index.html
crm_admin_app_list  # template tag, admin/index.html
dt_revoked
dt_expires

# DRF options and hooks of the internal API's views (crm.remote), read by DRF by name.
_.parser_classes
_.renderer_classes
_.authenticate_header
# crm.events: Func protocol read by Django's compiler, outbox/inbox columns written by update()
# and read by operators (outbox_status, SQL), and the concrete tables found through the app
# registry (crm.events.outbox_for_alias), never by name.
_.arity
_.as_sqlite
compiler
# The same protocol for crm.db.queries.NotFromIndex and crm.db.trigram.PhraseIContains (a
# lookup's lookup_name is how Django finds it); RemoveTrigramIndex and role_permissions_grant
# are used by migrations (which vulture does not read).
_.as_sql
_.as_postgresql
_.lookup_name
RemoveTrigramIndex
role_permissions_grant
dt_next_attempt_at
dt_sent_at
ds_last_error
dt_processed_at
CustomerOutbox
ProductOutbox
# http.server calls its handler's do_<METHOD> and log_message, and reads daemon_threads (the
# split's /health aggregator, config/split/health.py).
_.do_GET
_.do_POST
_.log_message
_.daemon_threads
FastJSONRenderer  # REST_FRAMEWORK["DEFAULT_RENDERER_CLASSES"]
_._cached_representation_fields  # read back through cls.__dict__ (per class, not inherited)
_.get_client  # crm.cache: Django's RedisCacheClient hook
_._class  # crm.cache: the client class Django's RedisCache instantiates
_.is_bound  # crm.api.query.FilterSet: read by django-filter's BaseFilterSet.form
_.form_prefix  # crm.api.query.FilterSet: read by django-filter's BaseFilterSet.form
_._form_class  # crm.api.query.FilterSet: read back through type(self).__dict__ (per class)
_._empty_data_filters_nothing  # crm.api.query.FilterSet: read back through cls.__dict__ (per class)
_._cached_representation_plan  # read back through cls.__dict__ (per class, not inherited)
_.representation_years  # crm.api.serializers: read back through cls.__dict__ (date-time plans)
_._representation_template  # read back through cls.__dict__ (per class, not inherited)
_.resolver_match  # crm.handlers: what Django sets on the request after resolving its URL
BackOfficeMessageMiddleware  # settings.MIDDLEWARE (a dotted path)

# Staff sessions in a process without the users table (crm.sessions, crm.staff): Django's
# middleware protocol, and what Django's auth, the admin and its templates ask of request.user.
StaffSessionMiddleware
_.process_request
_.process_exception
_.is_anonymous
_.id
_.get_username
_.has_perms
_.has_module_perms
