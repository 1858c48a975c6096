-- An external load: issue #8's data set written by plain SQL, as a DBA would, with no app code.
--
--   psql -v ON_ERROR_STOP=1 -f bench/plain_sql_load.sql postgres://postgres@127.0.0.1:5432/crm_x
--   psql ... -v customers=2000 -v products=200 -v interactions=4000 -v transactions=2000 -f ...
--
-- Fills a migrated, EMPTY database (it refuses otherwise) with `INSERT ... SELECT ... FROM
-- generate_series(...)` into our tables as they are (every index, constraint and trigger in place,
-- nothing switched off), naming only today's columns. Each domain lives in its own schema
-- (customers, products, interactions, accounts: crm/db/__init__.py), so every table is written
-- schema-qualified; the session's own search_path does not matter. Whatever the database keeps
-- by itself (row counters of the lists' `total`, the ledger's totals per customer and per day)
-- is maintained by its triggers during these statements: nothing is recounted afterwards.
--
-- Variables (psql -v name=value), with defaults:
--   customers 1000000 (every tenth inactive: exactly 10% when a multiple of 10), products 2000,
--   interactions 2000000, transactions 1000000 (0.5% of them reversals of earlier entries),
--   users 50 (the authors: accounts that cannot log in), seed 0.42 (setseed: same seed, sizes and
--   end_date give the same data), end_date (default today, UTC: the last day of two years of
--   history).
-- Each step prints `LOAD_TIME <table> <seconds>` (bench/http_bench.py reads them).
-- Helpers live in pg_temp (gone with the session): nothing is left behind but the rows.

\set ON_ERROR_STOP on
\if :{?customers} \else \set customers 1000000 \endif
\if :{?products} \else \set products 2000 \endif
\if :{?interactions} \else \set interactions 2000000 \endif
\if :{?transactions} \else \set transactions 1000000 \endif
\if :{?users} \else \set users 50 \endif
\if :{?seed} \else \set seed 0.42 \endif
\if :{?end_date}
\else
    SELECT current_date AS end_date \gset
\endif

SET TimeZone = 'UTC';
SET client_min_messages = warning;
SET work_mem = '64MB';
SET maintenance_work_mem = '256MB';

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM customers.customer) OR EXISTS (SELECT 1 FROM products.product)
       OR EXISTS (SELECT 1 FROM interactions.interaction)
       OR EXISTS (SELECT 1 FROM interactions."transaction") THEN
        RAISE EXCEPTION 'plain_sql_load: the database already holds customers, products, '
            'interactions or ledger entries; load into an empty, migrated database';
    END IF;
END $$;

SELECT setseed(:seed) AS seeded \gset

-- History: the two years up to the end of end_date.
SELECT (:'end_date'::date + 1)::timestamptz - interval '1 second' AS history_end,
       (:'end_date'::date - 730)::timestamptz AS history_start \gset

-- --- helpers (session-only) -----------------------------------------------------------------

-- Check digit of a weighted sum, modulus 11 (CPF's and CNPJ's rule).
CREATE FUNCTION pg_temp.dv11(total bigint) RETURNS int LANGUAGE sql IMMUTABLE
AS $$ SELECT (total * 10 % 11 % 10)::int $$;

-- A CPF (11 digits) from its first nine digits, with both check digits.
CREATE FUNCTION pg_temp.cpf(b bigint) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    s1 bigint := 0;
    s2 bigint := 0;
    d int;
    dv1 int;
BEGIN
    FOR k IN 1..9 LOOP
        d := (b / (10::bigint ^ (9 - k))::bigint % 10)::int;
        s1 := s1 + d * (11 - k);
        s2 := s2 + d * (12 - k);
    END LOOP;
    dv1 := pg_temp.dv11(s1);
    RETURN lpad(b::text, 9, '0') || dv1 || pg_temp.dv11(s2 + 2 * dv1);
END $$;

-- A CNPJ (14 digits): 8-digit root, branch 0001, both check digits.
CREATE FUNCTION pg_temp.cnpj(r bigint) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    digits int[] := ARRAY[]::int[];
    w1 int[] := ARRAY[5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2];
    w2 int[] := ARRAY[6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2];
    s1 bigint := 0;
    s2 bigint := 0;
    dv1 int;
BEGIN
    FOR k IN 1..8 LOOP
        digits := digits || (r / (10::bigint ^ (8 - k))::bigint % 10)::int;
    END LOOP;
    digits := digits || ARRAY[0, 0, 0, 1];
    FOR k IN 1..12 LOOP
        s1 := s1 + digits[k] * w1[k];
        s2 := s2 + digits[k] * w2[k];
    END LOOP;
    dv1 := pg_temp.dv11(s1);
    RETURN lpad(r::text, 8, '0') || '0001' || dv1 || pg_temp.dv11(s2 + 2 * dv1);
END $$;

-- Lower-case ASCII letters and digits only (for e-mail addresses).
CREATE FUNCTION pg_temp.slug(value text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT regexp_replace(translate(lower(value), 'áàâãäéèêëíìîïóòôõöúùûüç', 'aaaaaeeeeiiiiooooouuuuc'),
                          '[^a-z0-9]+', '', 'g')
$$;

-- One element of an array, chosen by a number in [0, 1).
CREATE FUNCTION pg_temp.pick(items text[], r double precision) RETURNS text LANGUAGE sql IMMUTABLE
AS $$ SELECT items[1 + floor(r * cardinality(items))::int] $$;

-- Word lists as psql variables holding array literals: constants in the plans below.
SELECT
    ARRAY['Ana', 'Maria', 'Francisca', 'Antônia', 'Adriana', 'Juliana', 'Márcia', 'Fernanda',
          'Patrícia', 'Aline', 'Sandra', 'Camila', 'Amanda', 'Bruna', 'Jéssica', 'Letícia', 'Júlia',
          'Luciana', 'Vanessa', 'Mariana', 'Gabriela', 'Beatriz', 'Larissa', 'Renata', 'Cláudia',
          'Débora', 'Simone', 'Tatiane', 'Priscila', 'Carolina', 'Isabela', 'Helena', 'Luiza',
          'Valentina', 'Alice', 'Laura', 'Manuela', 'Sophia', 'Lívia', 'Rafaela']::text AS female,
    ARRAY['José', 'João', 'Antônio', 'Francisco', 'Carlos', 'Paulo', 'Pedro', 'Lucas', 'Luiz',
          'Marcos', 'Luís', 'Gabriel', 'Rafael', 'Daniel', 'Marcelo', 'Bruno', 'Eduardo', 'Felipe',
          'Raimundo', 'Rodrigo', 'Manoel', 'Mateus', 'André', 'Fernando', 'Fábio', 'Leonardo',
          'Gustavo', 'Guilherme', 'Leandro', 'Tiago', 'Anderson', 'Ricardo', 'Márcio', 'Jorge',
          'Sebastião', 'Alexandre', 'Roberto', 'Diego', 'Vinícius', 'Thiago', 'Sérgio', 'Henrique',
          'Otávio', 'Arthur', 'Heitor', 'Bernardo', 'Davi', 'Samuel', 'Enzo', 'Miguel', 'Caio',
          'Igor', 'Renan', 'Wellington', 'Cristiano', 'Murilo']::text AS male,
    ARRAY['Silva', 'Santos', 'Oliveira', 'Souza', 'Rodrigues', 'Ferreira', 'Alves', 'Pereira',
          'Lima', 'Gomes', 'Costa', 'Ribeiro', 'Martins', 'Carvalho', 'Almeida', 'Lopes', 'Soares',
          'Fernandes', 'Vieira', 'Barbosa', 'Rocha', 'Dias', 'Nascimento', 'Andrade', 'Moreira',
          'Nunes', 'Marques', 'Machado', 'Mendes', 'Freitas', 'Cardoso', 'Ramos', 'Gonçalves',
          'Santana', 'Teixeira', 'Araújo', 'Pinto', 'Correia', 'Cavalcanti', 'Monteiro', 'Moura',
          'Batista', 'Campos', 'Rezende', 'Barros', 'Castro', 'Farias', 'Pires', 'Azevedo',
          'Duarte', 'Borges', 'Siqueira', 'Queiroz', 'Xavier', 'Miranda', 'Tavares', 'Brandão',
          'Fonseca', 'Guimarães', 'Coelho', 'Bezerra', 'Sampaio', 'Peixoto', 'Leite', 'Medeiros',
          'Macedo', 'Aguiar', 'Bastos', 'Vasconcelos', 'Prado', 'Toledo', 'Amaral']::text AS surnames,
    ARRAY['', '', '', '', 'de ']::text AS particles,
    ARRAY['Comércio de Alimentos', 'Materiais de Construção', 'Auto Peças', 'Consultoria',
          'Tecnologia', 'Transportes', 'Serviços Contábeis', 'Engenharia', 'Distribuidora',
          'Móveis', 'Confecções', 'Farmácia', 'Padaria', 'Restaurante', 'Clínica Odontológica',
          'Academia', 'Papelaria', 'Informática', 'Agropecuária', 'Imobiliária', 'Eventos',
          'Logística', 'Marketing Digital', 'Pet Shop', 'Ótica', 'Calçados',
          'Supermercado']::text AS activities,
    ARRAY['Boa Vista', 'Estrela', 'Horizonte', 'Primavera', 'Nova Era', 'Aliança', 'Progresso',
          'Bom Jesus', 'São Jorge', 'Santa Clara', 'Líder', 'Real', 'Central', 'Paulista',
          'Mineira', 'Gaúcha', 'Nordeste', 'Atlântico', 'Cristal', 'Sol Nascente',
          'Vitória']::text AS fantasy,
    ARRAY['Ltda', 'Ltda', 'Ltda', 'ME', 'EIRELI', 'S.A.', 'EPP']::text AS suffixes,
    ARRAY['Rua', 'Rua', 'Rua', 'Avenida', 'Avenida', 'Travessa', 'Alameda', 'Praça']::text AS street_types,
    ARRAY['das Flores', 'Sete de Setembro', 'Quinze de Novembro', 'Tiradentes', 'São João',
          'Brasil', 'Getúlio Vargas', 'Santos Dumont', 'Rui Barbosa', 'Marechal Deodoro',
          'Dom Pedro II', 'Barão do Rio Branco', 'José Bonifácio', 'Duque de Caxias',
          'Castro Alves', 'Paraná', 'Bahia', 'Amazonas', 'das Palmeiras', 'dos Andradas',
          'Presidente Vargas', 'Independência', 'Boa Vista', 'da Liberdade', 'XV de Agosto',
          'Frei Caneca', 'Princesa Isabel', 'Joaquim Nabuco', 'Monteiro Lobato',
          'Carlos Gomes']::text AS street_names,
    ARRAY['', '', '', '', ' - apto ', ' - casa ', ' - sala ']::text AS complements,
    -- Weighted by repetition: gmail 45%, hotmail 18%, ...
    (SELECT array_agg(provider) FROM (VALUES ('gmail.com', 45), ('hotmail.com', 18),
        ('outlook.com', 10), ('yahoo.com.br', 8), ('uol.com.br', 6), ('bol.com.br', 5),
        ('terra.com.br', 4), ('icloud.com', 4)) AS p(provider, weight), generate_series(1, weight))::text
        AS providers \gset

-- (city, UF, first CEP, last CEP, DDD, weight ~ population in 100k).
CREATE TEMP TABLE cities (city text, uf text, first_cep int, last_cep int, ddd int, weight int);
INSERT INTO cities VALUES
    ('São Paulo', 'SP', 1000000, 5999999, 11, 123), ('Guarulhos', 'SP', 7000000, 7399999, 11, 14),
    ('Campinas', 'SP', 13000000, 13139999, 19, 12), ('Santos', 'SP', 11000000, 11099999, 13, 4),
    ('Ribeirão Preto', 'SP', 14000000, 14114999, 16, 7),
    ('Sorocaba', 'SP', 18000000, 18109999, 15, 7),
    ('Rio de Janeiro', 'RJ', 20000000, 23799999, 21, 67),
    ('Niterói', 'RJ', 24000000, 24399999, 21, 5),
    ('Duque de Caxias', 'RJ', 25000000, 25299999, 21, 9),
    ('Belo Horizonte', 'MG', 30000000, 31999999, 31, 25),
    ('Uberlândia', 'MG', 38400000, 38415999, 34, 7), ('Contagem', 'MG', 32000000, 32399999, 31, 7),
    ('Juiz de Fora', 'MG', 36000000, 36099999, 32, 6), ('Vitória', 'ES', 29000000, 29099999, 27, 4),
    ('Vila Velha', 'ES', 29100000, 29129999, 27, 5), ('Curitiba', 'PR', 80000000, 82999999, 41, 19),
    ('Londrina', 'PR', 86000000, 86099999, 43, 6), ('Maringá', 'PR', 87000000, 87099999, 44, 4),
    ('Porto Alegre', 'RS', 90000000, 91999999, 51, 15),
    ('Caxias do Sul', 'RS', 95000000, 95124999, 54, 5),
    ('Pelotas', 'RS', 96000000, 96099999, 53, 3),
    ('Florianópolis', 'SC', 88000000, 88099999, 48, 5),
    ('Joinville', 'SC', 89200000, 89239999, 47, 6), ('Blumenau', 'SC', 89000000, 89099999, 47, 4),
    ('Salvador', 'BA', 40000000, 42599999, 71, 24),
    ('Feira de Santana', 'BA', 44000000, 44099999, 75, 6),
    ('Recife', 'PE', 50000000, 52999999, 81, 15),
    ('Jaboatão dos Guararapes', 'PE', 54000000, 54499999, 81, 7),
    ('Fortaleza', 'CE', 60000000, 61599999, 85, 24), ('São Luís', 'MA', 65000000, 65109999, 98, 10),
    ('Teresina', 'PI', 64000000, 64099999, 86, 9), ('Natal', 'RN', 59000000, 59139999, 84, 8),
    ('João Pessoa', 'PB', 58000000, 58099999, 83, 8), ('Maceió', 'AL', 57000000, 57099999, 82, 10),
    ('Aracaju', 'SE', 49000000, 49098999, 79, 6), ('Belém', 'PA', 66000000, 66999999, 91, 13),
    ('Manaus', 'AM', 69000000, 69099999, 92, 21), ('Macapá', 'AP', 68900000, 68914999, 96, 4),
    ('Boa Vista', 'RR', 69300000, 69339999, 95, 4), ('Rio Branco', 'AC', 69900000, 69923999, 68, 4),
    ('Porto Velho', 'RO', 76800000, 76834999, 69, 5), ('Palmas', 'TO', 77000000, 77249999, 63, 3),
    ('Goiânia', 'GO', 74000000, 74899999, 62, 15), ('Anápolis', 'GO', 75000000, 75159999, 62, 4),
    ('Brasília', 'DF', 70000000, 72799999, 61, 28), ('Cuiabá', 'MT', 78000000, 78109999, 65, 6),
    ('Campo Grande', 'MS', 79000000, 79129999, 67, 9);
-- One slot per unit of weight: a uniform pick over the slots is a weighted pick of a city.
CREATE TEMP TABLE city_slots AS
    SELECT row_number() OVER () - 1 AS slot, c.* FROM cities c, generate_series(1, c.weight);
CREATE UNIQUE INDEX ON city_slots (slot);
ANALYZE city_slots;
SELECT count(*) AS city_slot_count FROM city_slots \gset

-- --- users: the authors of interactions and entries (unusable passwords) ----------------------

SELECT clock_timestamp() AS started \gset
INSERT INTO accounts."user" (cd_user, password, last_login, is_superuser, ds_user, ds_user_email,
                             dt_created_at, is_active, is_staff)
SELECT gen_random_uuid(), '!' || md5(random()::text), NULL, false,
       'Atendente ' || lpad(n::text, 3, '0'), 'atendente' || lpad(n::text, 3, '0') || '@crm-sql.example',
       :'history_start'::timestamptz, true, false
FROM generate_series(1, :users) AS n
ON CONFLICT (ds_user_email) DO NOTHING;
CREATE TEMP TABLE authors AS
    SELECT row_number() OVER (ORDER BY ds_user_email) - 1 AS n, cd_user
    FROM accounts."user" WHERE ds_user_email LIKE '%@crm-sql.example';
SELECT count(*) AS author_count FROM authors \gset
SELECT round(extract(epoch FROM clock_timestamp() - :'started'::timestamptz)::numeric, 1) AS s \gset
\echo LOAD_TIME users :s

-- --- customers --------------------------------------------------------------------------------
-- Row i: 15% companies (CNPJ), 85% people (CPF). The first 9 CPF digits (8 CNPJ root digits) and
-- the e-mail's number are bijections of i (i * m + o mod 10^k, m coprime with 10): unique
-- documents and addresses without looking anything up. Every tenth row is inactive.

SELECT clock_timestamp() AS started \gset
SELECT greatest(6, length((:customers - 1)::text)) AS email_width \gset
INSERT INTO customers.customer (cd_customer, ds_customer_name, ds_customer_email,
    ds_customer_phone, ds_customer_cpf_cnpj, ds_customer_address, ds_customer_city,
    ds_customer_state, ds_customer_zip_code, ds_customer_country, dt_customer_created_at,
    dt_customer_updated_at, is_customer_active)
WITH draws AS MATERIALIZED (
    SELECT i,
           random() < 0.15 AS company,
           pg_temp.pick(CASE WHEN female THEN :'female'::text[] ELSE :'male'::text[] END, random())
               AS first_name,
           CASE WHEN random() < 0.2 THEN ' '
               || pg_temp.pick(CASE WHEN female THEN :'female'::text[] ELSE :'male'::text[] END, random()) ELSE '' END
               AS second_name,
           pg_temp.pick(:'particles'::text[], random()) AS particle,
           pg_temp.pick(:'surnames'::text[], random()) AS middle,
           pg_temp.pick(:'surnames'::text[], random()) AS last_name,
           CASE WHEN random() < 0.6 THEN pg_temp.pick(:'surnames'::text[], random()) ELSE pg_temp.pick(:'fantasy'::text[], random())
           END AS head,
           pg_temp.pick(:'activities'::text[], random()) AS activity,
           pg_temp.pick(:'suffixes'::text[], random()) AS suffix,
           pg_temp.pick(:'providers'::text[], random()) AS provider,
           pg_temp.pick(:'street_types'::text[], random()) || ' ' || pg_temp.pick(:'street_names'::text[], random()) || ', '
               || (1 + floor(random() * 3999))::int
               || coalesce(nullif(pg_temp.pick(:'complements'::text[], random()), '')
                           || (1 + floor(random() * 299))::int, '') AS address,
           floor(random() * :city_slot_count)::int AS slot,
           random() AS cep_draw,
           random() < 0.7 AS mobile,
           random() AS phone_a, random() AS phone_b,
           random() < 0.97 AS has_email,
           random() < 0.95 AS has_phone,
           :'history_start'::timestamptz
               + random() * (:'history_end'::timestamptz - :'history_start'::timestamptz) AS created,
           random() < 0.7 AS never_updated,
           random() AS update_draw
    FROM (SELECT i, random() < 0.5 AS female FROM generate_series(0, :customers - 1) AS i OFFSET 0)
        AS people
)
SELECT gen_random_uuid(),
       CASE WHEN company THEN head || ' ' || activity || ' ' || suffix
            ELSE first_name || second_name || ' ' || particle || middle || ' ' || last_name END,
       CASE WHEN NOT has_email THEN NULL
            WHEN company THEN 'contato' || email_number || '@' || left(pg_temp.slug(head || activity), 20)
                || '.com.br'
            ELSE pg_temp.slug(first_name) || '.' || pg_temp.slug(last_name) || email_number || '@' || provider END,
       CASE WHEN NOT has_phone THEN NULL
            WHEN mobile THEN '(' || c.ddd || ') 9' || (6000 + floor(phone_a * 4000))::int || '-'
                || lpad(floor(phone_b * 10000)::int::text, 4, '0')
            ELSE '(' || c.ddd || ') ' || (2000 + floor(phone_a * 4000))::int || '-'
                || lpad(floor(phone_b * 10000)::int::text, 4, '0') END,
       CASE WHEN company THEN pg_temp.cnpj((i::bigint * 40353607 + 31415926) % 100000000)
            ELSE pg_temp.cpf((i::bigint * 387420489 + 271828182) % 1000000000) END,
       address, c.city, c.uf,
       overlay(lpad((c.first_cep + floor(cep_draw * (c.last_cep - c.first_cep + 1)))::int::text,
                    8, '0') PLACING '-' FROM 6 FOR 0),
       'Brasil',
       created,
       CASE WHEN never_updated THEN created
            ELSE created + update_draw * (:'history_end'::timestamptz - created) END,
       i % 10 <> 9
FROM (SELECT d.*, lpad(((i::bigint * 1594323 + 2718281) % (10::bigint ^ :email_width)::bigint)::text,
                       :email_width, '0') AS email_number
      FROM draws d) AS d
JOIN city_slots c ON c.slot = d.slot;
SELECT round(extract(epoch FROM clock_timestamp() - :'started'::timestamptz)::numeric, 1) AS s \gset
\echo LOAD_TIME customers :s

-- --- products ---------------------------------------------------------------------------------
-- Names end with the row's own number (unique case-insensitively); 35% services, 5% inactive.

SELECT clock_timestamp() AS started \gset
CREATE TEMP TABLE catalogue (kind text, slot int, name text, low numeric, high numeric);
INSERT INTO catalogue
SELECT 'produto', row_number() OVER () - 1, name, low, high FROM (VALUES
    ('Notebook', 2200, 9000), ('Monitor LED 24 polegadas', 700, 1800),
    ('Impressora multifuncional', 600, 3500), ('Cadeira de escritório ergonômica', 450, 2500),
    ('Mesa de reunião', 900, 4000), ('Teclado sem fio', 80, 450), ('Mouse óptico', 30, 250),
    ('Roteador Wi-Fi', 150, 900), ('Nobreak 1500VA', 700, 2200), ('HD externo 2TB', 350, 800),
    ('Papel A4 (caixa com 10 resmas)', 220, 320), ('Cartucho de toner', 90, 600),
    ('Smartphone corporativo', 1200, 6000), ('Headset com microfone', 120, 700),
    ('Licença de antivírus anual', 90, 400), ('Armário de aço', 800, 2600),
    ('Ar-condicionado split 12000 BTUs', 1800, 4200), ('Cafeteira industrial', 900, 3800),
    ('Kit de ferramentas', 150, 1200), ('Leitor de código de barras', 200, 900),
    ('Balança eletrônica', 300, 1500), ('Máquina de cartão', 100, 600),
    ('Etiquetas adesivas (milheiro)', 40, 120), ('Uniforme personalizado', 60, 180)
) AS g(name, low, high)
UNION ALL
SELECT 'servico', row_number() OVER () - 1, name, low, high FROM (VALUES
    ('Consultoria fiscal', 150, 400), ('Consultoria tributária', 200, 600),
    ('Auditoria contábil', 3000, 20000), ('Implantação de ERP', 5000, 60000),
    ('Suporte técnico mensal', 300, 3000), ('Manutenção preventiva', 200, 1500),
    ('Treinamento de equipe', 800, 6000), ('Desenvolvimento de site', 2500, 25000),
    ('Gestão de redes sociais', 900, 5000), ('Hospedagem de sistemas (mensal)', 80, 900),
    ('Assessoria jurídica', 500, 5000), ('Folha de pagamento (mensal)', 300, 4000),
    ('Instalação elétrica', 400, 8000), ('Limpeza comercial (mensal)', 900, 6000),
    ('Frete dedicado', 150, 3000), ('Recrutamento e seleção', 1200, 8000)
) AS s(name, low, high);

INSERT INTO products.product (cd_product, ds_product_name, ds_product_description, vr_price,
    id_product_type, is_active, dt_product_created_at, dt_product_updated_at)
WITH draws AS MATERIALIZED (
    SELECT i, CASE WHEN random() < 0.35 THEN 'servico' ELSE 'produto' END AS kind,
           random() AS item_draw, random() AS price_draw,
           pg_temp.pick(ARRAY['Básico', 'Padrão', 'Plus', 'Premium', 'Pro', 'Essencial', 'Empresarial',
                      'Max'], random()) AS qualifier,
           random() < 0.8 AS described,
           :'history_start'::timestamptz
               + random() * (:'history_end'::timestamptz - :'history_start'::timestamptz) AS created
    FROM generate_series(0, :products - 1) AS i
)
SELECT gen_random_uuid(),
       c.name || ' ' || d.qualifier || ' ' || CASE WHEN d.kind = 'servico' THEN 'pacote ' ELSE 'modelo ' END
           || lpad((i + 1)::text, 5, '0'),
       CASE WHEN d.described THEN c.name || ' ' || lower(d.qualifier)
           || CASE WHEN d.kind = 'servico' THEN ', prestado por equipe própria.'
                   ELSE ', com garantia de 12 meses.' END END,
       round(c.low + d.price_draw::numeric * (c.high - c.low), 2),
       d.kind,
       i % 20 <> 19,
       d.created, d.created
FROM draws d
JOIN catalogue c ON c.kind = d.kind
    AND c.slot = floor(d.item_draw * CASE WHEN d.kind = 'servico' THEN 16 ELSE 24 END)::int;
CREATE TEMP TABLE catalogue_ids AS
    SELECT row_number() OVER (ORDER BY cd_product) - 1 AS n, cd_product, vr_price
    FROM products.product;
CREATE UNIQUE INDEX ON catalogue_ids (n);
ANALYZE catalogue_ids;
SELECT count(*) AS product_count FROM catalogue_ids \gset
SELECT round(extract(epoch FROM clock_timestamp() - :'started'::timestamptz)::numeric, 1) AS s \gset
\echo LOAD_TIME products :s

-- The customers by number, for the other tables to reference. A long tail: customer k of n is
-- drawn with probability ~ 1/sqrt(k) (floor(n * r^2)), so a few have thousands of rows.
CREATE TEMP TABLE clients AS
    SELECT row_number() OVER () - 1 AS n, cd_customer, dt_customer_created_at AS since
    FROM customers.customer;
CREATE UNIQUE INDEX ON clients (n);
ANALYZE clients;
SELECT count(*) AS client_count FROM clients \gset

-- --- interactions -----------------------------------------------------------------------------

SELECT clock_timestamp() AS started \gset
CREATE TEMP TABLE notes (kind text, slot int, note text);
INSERT INTO notes VALUES
    ('ligacao', 0, 'Cliente ligou pedindo orçamento'),
    ('ligacao', 1, 'Retorno de ligação sobre proposta enviada'),
    ('ligacao', 2, 'Ligação para confirmar dados cadastrais'),
    ('ligacao', 3, 'Cliente ligou com dúvida sobre a fatura'),
    ('ligacao', 4, 'Ligação de pós-venda'),
    ('email', 0, 'Enviada proposta comercial por e-mail'),
    ('email', 1, 'Cliente respondeu e-mail aceitando condições'),
    ('email', 2, 'E-mail com segunda via do boleto'),
    ('email', 3, 'Envio de contrato para assinatura'),
    ('email', 4, 'Cliente pediu catálogo atualizado por e-mail'),
    ('contato', 0, 'Contato pelo WhatsApp'), ('contato', 1, 'Cliente visitou a loja'),
    ('contato', 2, 'Contato pelo formulário do site'), ('contato', 3, 'Indicação de outro cliente'),
    ('contato', 4, 'Contato em feira do setor'),
    ('reuniao', 0, 'Reunião de apresentação da empresa'),
    ('reuniao', 1, 'Reunião para alinhamento do projeto'),
    ('reuniao', 2, 'Reunião de renovação de contrato'), ('reuniao', 3, 'Visita técnica agendada'),
    ('reuniao', 4, 'Reunião on-line com o financeiro do cliente'),
    ('venda', 0, 'Venda fechada'), ('venda', 1, 'Pedido confirmado'),
    ('venda', 2, 'Renovação de contrato assinada'), ('venda', 3, 'Venda de serviço adicional'),
    ('venda', 4, 'Pedido de reposição');

INSERT INTO interactions.interaction (cd_interaction, cd_customer, cd_user, ds_notes,
    id_interaction_type, dt_interaction, dt_created_at)
SELECT gen_random_uuid(), c.cd_customer, a.cd_user,
       n.note || d.follow_up,
       d.kind,
       c.since + d.when_draw * (:'history_end'::timestamptz - c.since),
       least(c.since + d.when_draw * (:'history_end'::timestamptz - c.since) + d.delay,
             :'history_end'::timestamptz)
FROM (
    SELECT floor(:client_count * random() ^ 2)::bigint AS client,
           floor(random() * :author_count)::int AS author,
           -- Types weighted 32/28/18/12/10 (ligação, e-mail, contato, reunião, venda).
           pg_temp.pick(ARRAY['ligacao', 'ligacao', 'ligacao', 'ligacao', 'ligacao', 'ligacao', 'ligacao',
                      'ligacao', 'email', 'email', 'email', 'email', 'email', 'email', 'email',
                      'contato', 'contato', 'contato', 'contato', 'contato', 'reuniao', 'reuniao',
                      'reuniao', 'venda', 'venda'], random()) AS kind,
           floor(random() * 5)::int AS note_slot,
           pg_temp.pick(ARRAY['', '.', '; retornar na próxima semana.', '; aguardando aprovação da diretoria.',
                      '; enviar nova proposta com desconto.', '; cliente satisfeito com o atendimento.',
                      '; agendar visita.', '; prazo de entrega combinado.'], random()) AS follow_up,
           random() AS when_draw,
           (1 + floor(random() * 1439))::int * interval '1 minute' AS delay
    FROM generate_series(1, :interactions) OFFSET 0
) AS d
JOIN clients c ON c.n = d.client
JOIN authors a ON a.n = d.author
JOIN notes n ON n.kind = d.kind AND n.slot = d.note_slot;
SELECT round(extract(epoch FROM clock_timestamp() - :'started'::timestamptz)::numeric, 1) AS s \gset
\echo LOAD_TIME interactions :s

-- --- ledger entries ---------------------------------------------------------------------------
-- 75% entrada (70% of them sales of a catalogue item x a quantity, the rest invoices, ~R$ 1.000
-- typical), 25% saída (refunds, discounts, ~R$ 130 typical); log-normal amounts by Box-Muller.
-- Then 0.5% of all entries are reversals: each of a distinct earlier entry (opposite type, same
-- customer, amount and product, cd_reversal_of set), as /reverse records them.

SELECT clock_timestamp() AS started \gset
SELECT :transactions / 200 AS reversals, :transactions - :transactions / 200 AS originals \gset
INSERT INTO interactions."transaction" (cd_transaction, cd_customer, cd_user, cd_product,
    vr_transaction, id_transaction_type, dt_transaction, ds_transaction, cd_reversal_of,
    dt_created_at)
SELECT gen_random_uuid(), c.cd_customer, a.cd_user,
       CASE WHEN d.sale THEN p.cd_product END,
       CASE WHEN d.sale AND p.vr_price > 0 THEN p.vr_price * d.quantity
            ELSE least(9999999999.99, greatest(0.01, round((exp(
                CASE WHEN d.income THEN 11.5 + 1.1 * d.z ELSE 9.5 + 1.2 * d.z END) / 100)::numeric,
                2))) END,
       CASE WHEN d.income THEN 1 ELSE 2 END,
       (c.since + d.when_draw * (:'history_end'::timestamptz - c.since))::date,
       CASE WHEN NOT d.described THEN NULL
            WHEN d.sale THEN d.income_text || ' - ' || d.quantity || ' un.'
            WHEN d.income THEN d.income_text || ' ' || d.invoice
            ELSE d.expense_text END,
       NULL,
       least(c.since + d.when_draw * (:'history_end'::timestamptz - c.since) + d.delay,
             :'history_end'::timestamptz)
FROM (
    SELECT floor(:client_count * random() ^ 2)::bigint AS client,
           floor(random() * :author_count)::int AS author,
           income, income AND random() < 0.7 AS sale,
           floor(random() * :product_count)::int AS product,
           pg_temp.pick(ARRAY['1', '1', '1', '2', '2', '3', '5', '10'], random())::int AS quantity,
           sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()) AS z,
           pg_temp.pick(ARRAY['Venda', 'Pedido', 'Recebimento de fatura', 'Mensalidade',
                              'Pagamento via PIX'], random()) AS income_text,
           pg_temp.pick(ARRAY['Reembolso ao cliente', 'Desconto concedido', 'Devolução',
                              'Comissão', 'Bônus'], random()) AS expense_text,
           (1000 + floor(random() * 98999))::int AS invoice,
           random() < 0.9 AS described,
           random() AS when_draw,
           floor(random() * 600)::int * interval '1 minute' AS delay
    FROM (SELECT random() < 0.75 AS income FROM generate_series(1, :originals) OFFSET 0) AS kinds
    OFFSET 0
) AS d
JOIN clients c ON c.n = d.client
JOIN authors a ON a.n = d.author
LEFT JOIN catalogue_ids p ON p.n = d.product;

INSERT INTO interactions."transaction" (cd_transaction, cd_customer, cd_user, cd_product,
    vr_transaction, id_transaction_type, dt_transaction, ds_transaction, cd_reversal_of,
    dt_created_at)
SELECT gen_random_uuid(), o.cd_customer, a.cd_user, o.cd_product, o.vr_transaction,
       3 - o.id_transaction_type, o.day, 'Estorno do lançamento ' || o.cd_transaction,
       o.cd_transaction,
       greatest(o.dt_created_at, o.day::timestamptz) + o.later * interval '1 hour'
FROM (
    SELECT t.*, least(t.dt_transaction + floor(random() * 15)::int, :'end_date'::date) AS day,
           random() AS later, floor(random() * :author_count)::int AS author
    FROM (SELECT * FROM interactions."transaction" ORDER BY random() LIMIT :reversals) AS t
    OFFSET 0
) AS o
JOIN authors a ON a.n = o.author;
SELECT round(extract(epoch FROM clock_timestamp() - :'started'::timestamptz)::numeric, 1) AS s \gset
\echo LOAD_TIME transactions :s
