/**
 * Which PyPI distribution provides which import name, for the packages backends commonly use.
 * Facts from the packages' own metadata (top_level.txt / wheel contents); a distribution whose
 * import name is its own normalised name needs no entry, but the common ones are listed anyway so
 * the undeclared-dependency rule knows them as distributions rather than guesses.
 *
 * Also: what extras pull in (`pydantic[email]` installs email-validator) and the runtime
 * dependencies of popular distributions (fastapi installs starlette), so an import satisfied
 * transitively is not reported as undeclared.
 */

/** `import-name  dist[|alternative-dist...]`, one per line. Dotted names are namespace packages. */
const IMPORTS = `
yaml PyYAML|ruamel.yaml
ruamel ruamel.yaml
jwt PyJWT
jose python-jose|python-jose-cryptodome
PIL Pillow|pillow-simd
dotenv python-dotenv
decouple python-decouple
environ django-environ|environ-config
environs environs
psycopg2 psycopg2|psycopg2-binary|psycopg2cffi
psycopg psycopg|psycopg-binary
psycopg_pool psycopg-pool|psycopg
asyncpg asyncpg
aiomysql aiomysql
aiosqlite aiosqlite
MySQLdb mysqlclient
pymysql PyMySQL
mysql mysql-connector-python
pymssql pymssql
pyodbc pyodbc
cx_Oracle cx-Oracle
oracledb oracledb
sqlalchemy SQLAlchemy
sqlmodel sqlmodel
alembic alembic
databases databases
tortoise tortoise-orm
peewee peewee
pony pony
mongoengine mongoengine
pymongo pymongo
bson pymongo
gridfs pymongo
motor motor
beanie beanie
odmantic odmantic
redis redis
aioredis aioredis|redis
rediscluster redis-py-cluster
elasticsearch elasticsearch
opensearchpy opensearch-py
cassandra cassandra-driver
neo4j neo4j
influxdb_client influxdb-client
clickhouse_driver clickhouse-driver
clickhouse_connect clickhouse-connect
duckdb duckdb
sklearn scikit-learn
skimage scikit-image
cv2 opencv-python|opencv-python-headless|opencv-contrib-python|opencv-contrib-python-headless
bs4 beautifulsoup4
lxml lxml
html5lib html5lib
dateutil python-dateutil
slugify python-slugify|awesome-slugify
magic python-magic
multipart python-multipart
python_multipart python-multipart
socketio python-socketio
engineio python-engineio
telegram python-telegram-bot
telebot pyTelegramBotAPI
discord discord.py|py-cord
github PyGithub
gitlab python-gitlab
git GitPython
docx python-docx
pptx python-pptx
fitz PyMuPDF
pymupdf PyMuPDF
PyPDF2 PyPDF2
pypdf pypdf
pdfplumber pdfplumber
reportlab reportlab
weasyprint weasyprint
openpyxl openpyxl
xlrd xlrd
xlsxwriter XlsxWriter
Crypto pycryptodome|pycrypto
Cryptodome pycryptodomex
OpenSSL pyOpenSSL
nacl PyNaCl
cryptography cryptography
bcrypt bcrypt
argon2 argon2-cffi
passlib passlib
itsdangerous itsdangerous
authlib Authlib
oauthlib oauthlib
requests_oauthlib requests-oauthlib
jwcrypto jwcrypto
email_validator email-validator
phonenumbers phonenumbers
pydantic pydantic
pydantic_core pydantic-core
pydantic_settings pydantic-settings
pydantic_extra_types pydantic-extra-types
fastapi fastapi
starlette starlette
uvicorn uvicorn
gunicorn gunicorn
hypercorn hypercorn
daphne daphne
granian granian
flask Flask
werkzeug Werkzeug
jinja2 Jinja2
markupsafe MarkupSafe
click click
typer typer
rich rich
flask_sqlalchemy Flask-SQLAlchemy
flask_migrate Flask-Migrate
flask_login Flask-Login
flask_cors Flask-Cors
flask_wtf Flask-WTF
flask_restful Flask-RESTful
flask_restx flask-restx
flask_jwt_extended Flask-JWT-Extended
flask_mail Flask-Mail
flask_caching Flask-Caching
flask_limiter Flask-Limiter
flask_socketio Flask-SocketIO
flask_bcrypt Flask-Bcrypt
flask_marshmallow flask-marshmallow
flask_smorest flask-smorest
flask_session Flask-Session
flask_babel Flask-Babel
flask_admin Flask-Admin
flask_talisman flask-talisman
wtforms WTForms
marshmallow marshmallow
marshmallow_sqlalchemy marshmallow-sqlalchemy
django Django
rest_framework djangorestframework
rest_framework_simplejwt djangorestframework-simplejwt
corsheaders django-cors-headers
django_filters django-filter
debug_toolbar django-debug-toolbar
django_extensions django-extensions
storages django-storages
allauth django-allauth
crispy_forms django-crispy-forms
django_celery_beat django-celery-beat
django_celery_results django-celery-results
drf_yasg drf-yasg
drf_spectacular drf-spectacular
dj_database_url dj-database-url
whitenoise whitenoise
channels channels
channels_redis channels-redis
graphene graphene
graphene_django graphene-django
strawberry strawberry-graphql
ariadne ariadne
celery celery
kombu kombu
billiard billiard
flower flower
rq rq
dramatiq dramatiq
huey huey
apscheduler APScheduler
schedule schedule
croniter croniter
kafka kafka-python|kafka-python-ng
confluent_kafka confluent-kafka
aiokafka aiokafka
pika pika
aio_pika aio-pika
paho paho-mqtt
nats nats-py
zmq pyzmq
grpc grpcio
grpc_tools grpcio-tools
google.protobuf protobuf
google.cloud google-cloud-core
google.cloud.storage google-cloud-storage
google.cloud.bigquery google-cloud-bigquery
google.cloud.pubsub google-cloud-pubsub
google.cloud.pubsub_v1 google-cloud-pubsub
google.cloud.firestore google-cloud-firestore
google.cloud.secretmanager google-cloud-secret-manager
google.cloud.tasks google-cloud-tasks
google.cloud.logging google-cloud-logging
google.cloud.speech google-cloud-speech
google.cloud.texttospeech google-cloud-texttospeech
google.cloud.translate google-cloud-translate
google.cloud.vision google-cloud-vision
google.cloud.aiplatform google-cloud-aiplatform
google.cloud.sql google-cloud-sql-connector
google.cloud.datastore google-cloud-datastore
google.cloud.kms google-cloud-kms
google.cloud.redis google-cloud-redis
google.cloud.run google-cloud-run
google.cloud.dialogflow google-cloud-dialogflow
google.cloud.language google-cloud-language
google.cloud.documentai google-cloud-documentai
google.auth google-auth
google.oauth2 google-auth
google.api_core google-api-core
google.generativeai google-generativeai
google.genai google-genai
google.ai google-ai-generativelanguage
googleapiclient google-api-python-client
google_auth_oauthlib google-auth-oauthlib
firebase_admin firebase-admin
vertexai google-cloud-aiplatform
azure.storage azure-storage-blob
azure.storage.blob azure-storage-blob
azure.identity azure-identity
azure.keyvault azure-keyvault-secrets
azure.keyvault.secrets azure-keyvault-secrets
azure.core azure-core
azure.cosmos azure-cosmos
azure.servicebus azure-servicebus
azure.functions azure-functions
azure.ai azure-ai-openai|azure-ai-inference|azure-ai-formrecognizer|azure-ai-textanalytics
azure.monitor azure-monitor-opentelemetry
boto3 boto3
botocore botocore
aiobotocore aiobotocore
s3transfer s3transfer
aioboto3 aioboto3
s3fs s3fs
minio minio
stripe stripe
twilio twilio
sendgrid sendgrid
mailchimp_marketing mailchimp-marketing
slack_sdk slack-sdk
slack_bolt slack-bolt
slack slackclient
openai openai
anthropic anthropic
cohere cohere
mistralai mistralai
groq groq
tiktoken tiktoken
langchain langchain
langchain_core langchain-core
langchain_community langchain-community
langchain_openai langchain-openai
langchain_anthropic langchain-anthropic
langchain_google_genai langchain-google-genai
langchain_text_splitters langchain-text-splitters
langchain_chroma langchain-chroma
langchain_pinecone langchain-pinecone
langgraph langgraph
llama_index llama-index|llama-index-core
chromadb chromadb
pinecone pinecone|pinecone-client
qdrant_client qdrant-client
weaviate weaviate-client
pymilvus pymilvus
faiss faiss-cpu|faiss-gpu
sentence_transformers sentence-transformers
transformers transformers
tokenizers tokenizers
huggingface_hub huggingface-hub
datasets datasets
torch torch
torchvision torchvision
torchaudio torchaudio
tensorflow tensorflow|tensorflow-cpu|tensorflow-gpu
keras keras
jax jax
numpy numpy
scipy scipy
pandas pandas
polars polars
pyarrow pyarrow
matplotlib matplotlib
seaborn seaborn
plotly plotly
statsmodels statsmodels
xgboost xgboost
lightgbm lightgbm
catboost catboost
joblib joblib
nltk nltk
spacy spacy
gensim gensim
textblob textblob
whisper openai-whisper
pydub pydub
moviepy moviepy
imageio imageio
qrcode qrcode
barcode python-barcode
pytesseract pytesseract
easyocr easyocr
web3 web3
eth_account eth-account
eth_utils eth-utils
solana solana
solders solders
bitcoinlib bitcoinlib
ccxt ccxt
httpx httpx
httpcore httpcore
h11 h11
h2 h2
anyio anyio
sniffio sniffio
requests requests
requests_toolbelt requests-toolbelt
urllib3 urllib3
certifi certifi
idna idna
charset_normalizer charset-normalizer
chardet chardet
aiohttp aiohttp
aiofiles aiofiles
websockets websockets
websocket websocket-client
wsproto wsproto
uvloop uvloop
httptools httptools
watchfiles watchfiles
gevent gevent
eventlet eventlet
greenlet greenlet
tenacity tenacity
backoff backoff
retrying retrying
cachetools cachetools
diskcache diskcache
orjson orjson
ujson ujson
simplejson simplejson
msgpack msgpack
toml toml
tomli tomli
tomlkit tomlkit
attr attrs
attrs attrs
cattrs cattrs
typing_extensions typing-extensions
annotated_types annotated-types
mypy_extensions mypy-extensions
six six
packaging packaging
pkg_resources setuptools
setuptools setuptools
importlib_metadata importlib-metadata
importlib_resources importlib-resources
zipp zipp
pytz pytz
tzdata tzdata
tzlocal tzlocal
pendulum pendulum
arrow arrow
babel Babel
humanize humanize
emoji emoji
unidecode Unidecode
markdown Markdown
markdown_it markdown-it-py
mistune mistune
bleach bleach
nh3 nh3
pygments Pygments
loguru loguru
structlog structlog
sentry_sdk sentry-sdk
prometheus_client prometheus-client
prometheus_fastapi_instrumentator prometheus-fastapi-instrumentator
opentelemetry opentelemetry-api
ddtrace ddtrace
newrelic newrelic
elasticapm elastic-apm
psutil psutil
docker docker
kubernetes kubernetes
paramiko paramiko
fabric fabric
invoke invoke
pexpect pexpect
sh sh
pyperclip pyperclip
colorama colorama
termcolor termcolor
tqdm tqdm
tabulate tabulate
jsonschema jsonschema
referencing referencing
jmespath jmespath
jsonpath_ng jsonpath-ng
xmltodict xmltodict
defusedxml defusedxml
pyparsing pyparsing
regex regex
rapidfuzz rapidfuzz
fuzzywuzzy fuzzywuzzy
Levenshtein python-Levenshtein|Levenshtein
faker Faker
factory factory-boy
pytest pytest
_pytest pytest
pytest_asyncio pytest-asyncio
pytest_mock pytest-mock
mock mock
freezegun freezegun
responses responses
respx respx
moto moto
hypothesis hypothesis
nox nox
tox tox
coverage coverage
selenium selenium
playwright playwright
pyppeteer pyppeteer
scrapy Scrapy
feedparser feedparser
tweepy tweepy
praw praw
geopy geopy
shapely shapely
geoalchemy2 GeoAlchemy2
pyproj pyproj
folium folium
sqlparse sqlparse
asgiref asgiref
mangum mangum
zappa zappa
serverless_wsgi serverless-wsgi
chalice chalice
streamlit streamlit
gradio gradio
dash dash
nicegui nicegui
jinja2_time jinja2-time
sse_starlette sse-starlette
slowapi slowapi
fastapi_users fastapi-users
fastapi_pagination fastapi-pagination
fastapi_cache fastapi-cache2
fastapi_limiter fastapi-limiter
fastapi_mail fastapi-mail
sqladmin sqladmin
starlette_admin starlette-admin
aiosmtplib aiosmtplib
emails emails
yagmail yagmail
jinja2schema jinja2schema
pydash pydash
toolz toolz
more_itertools more-itertools
boltons boltons
wrapt wrapt
decorator decorator
deprecated Deprecated
filelock filelock
fsspec fsspec
watchdog watchdog
pywintypes pywin32
win32api pywin32
win32con pywin32
pythoncom pywin32
serial pyserial
usb pyusb
bluetooth pybluez
smbus smbus2
RPi RPi.GPIO
pygame pygame
PyQt5 PyQt5
PyQt6 PyQt6
PySide6 PySide6
wx wxPython
kivy Kivy
vobject vobject
icalendar icalendar
ldap3 ldap3
ldap python-ldap
kerberos pykerberos
gssapi gssapi
saml2 pysaml2
onelogin python3-saml
hvac hvac
consul python-consul
etcd3 etcd3
zeep zeep
suds suds-community|suds-py3|suds-jurko
xmlschema xmlschema
pysftp pysftp
smart_open smart-open
ffmpeg ffmpeg-python
av av
pyaudio PyAudio
speech_recognition SpeechRecognition
gtts gTTS
pyttsx3 pyttsx3
elevenlabs elevenlabs
deepgram deepgram-sdk
assemblyai assemblyai
replicate replicate
together together
fireworks fireworks-ai
ollama ollama
instructor instructor
litellm litellm
dspy dspy-ai|dspy
crewai crewai
autogen pyautogen|autogen
haystack haystack-ai|farm-haystack
unstructured unstructured
pypandoc pypandoc
markdownify markdownify
html2text html2text
trafilatura trafilatura
newspaper newspaper3k
readability readability-lxml
playwright_stealth playwright-stealth
undetected_chromedriver undetected-chromedriver
webdriver_manager webdriver-manager
supabase supabase
postgrest postgrest
gotrue gotrue
pyrebase pyrebase4|Pyrebase
gspread gspread
oauth2client oauth2client
jwkest pyjwkest
keycloak python-keycloak
okta okta
auth0 auth0-python
clerk_backend_api clerk-backend-api
`;

const importToDists = new Map<string, string[]>();
const knownTops = new Set<string>();
for (const line of IMPORTS.split('\n')) {
  const [imp, dists] = line.trim().split(/\s+/);
  if (!imp || !dists) continue;
  importToDists.set(imp, dists.split('|'));
  knownTops.add(imp.split('.')[0]!);
}

/** PEP 503 normalisation: lower case, runs of `-`, `_`, `.` become `-`. */
export function normaliseDist(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/**
 * The distributions that may provide a dotted import (most specific namespace entry first):
 * `google.cloud.storage.blob` → google-cloud-storage; `yaml` → PyYAML or ruamel.yaml. Undefined
 * when the table does not know the import name.
 */
export function distributionsFor(dotted: string): string[] | undefined {
  const parts = dotted.split('.');
  for (let i = parts.length; i > 0; i--) {
    const hit = importToDists.get(parts.slice(0, i).join('.'));
    if (hit) return hit.map(normaliseDist);
  }
  return undefined;
}

/** Like `distributionsFor`, with the distributions' own spelling (PyYAML, Pillow). */
export function displayNamesFor(dotted: string): string[] | undefined {
  const parts = dotted.split('.');
  for (let i = parts.length; i > 0; i--) {
    const hit = importToDists.get(parts.slice(0, i).join('.'));
    if (hit) return hit;
  }
  return undefined;
}

const knownDists = new Set<string>();

/** True when the import table knows which import names `dist` provides. */
export function isKnownDistribution(dist: string): boolean {
  if (knownDists.size === 0) for (const ds of importToDists.values()) for (const d of ds) knownDists.add(normaliseDist(d));
  return knownDists.has(normaliseDist(dist));
}

/** True when the table lists `top` (a top-level import name) as coming from some distribution. */
export function isKnownImport(top: string): boolean {
  return knownTops.has(top);
}

/**
 * What extras install, beyond an extra named like a distribution (`celery[redis]` → redis,
 * `passlib[bcrypt]` → bcrypt, which needs no entry).
 */
const EXTRAS: Record<string, Record<string, string[]>> = {
  pydantic: { email: ['email-validator'], dotenv: ['python-dotenv'], timezone: ['tzdata'] },
  uvicorn: { standard: ['uvloop', 'httptools', 'websockets', 'watchfiles', 'python-dotenv', 'pyyaml', 'colorama'] },
  fastapi: {
    standard: ['uvicorn', 'fastapi-cli', 'httpx', 'jinja2', 'python-multipart', 'email-validator', 'uvloop', 'httptools', 'websockets', 'watchfiles', 'python-dotenv', 'pyyaml'],
    all: ['uvicorn', 'fastapi-cli', 'httpx', 'jinja2', 'python-multipart', 'itsdangerous', 'pyyaml', 'ujson', 'orjson', 'email-validator', 'pydantic-settings', 'pydantic-extra-types', 'uvloop', 'httptools', 'websockets', 'watchfiles', 'python-dotenv'],
  },
  'python-jose': { cryptography: ['cryptography'], pycryptodome: ['pycryptodome'] },
  pyjwt: { crypto: ['cryptography'] },
  sqlalchemy: {
    asyncio: ['greenlet'],
    postgresql: ['psycopg2'],
    postgresql_asyncpg: ['asyncpg', 'greenlet'],
    postgresql_psycopg: ['psycopg'],
    postgresql_psycopgbinary: ['psycopg-binary', 'psycopg'],
    postgresql_psycopg2binary: ['psycopg2-binary'],
    postgresql_pg8000: ['pg8000'],
    mysql: ['mysqlclient'],
    pymysql: ['pymysql'],
    aiomysql: ['aiomysql', 'greenlet'],
    aiosqlite: ['aiosqlite', 'greenlet'],
    mssql_pyodbc: ['pyodbc'],
    oracle: ['cx-oracle'],
  },
  psycopg: { binary: ['psycopg-binary'], pool: ['psycopg-pool'], c: ['psycopg-c'] },
  celery: { redis: ['redis'], sqs: ['boto3', 'pycurl'], msgpack: ['msgpack'], yaml: ['pyyaml'], auth: ['cryptography'], mongodb: ['pymongo'] },
  django: { argon2: ['argon2-cffi'], bcrypt: ['bcrypt'] },
  flask: { async: ['asgiref'], dotenv: ['python-dotenv'] },
  httpx: { http2: ['h2'], socks: ['socksio'], brotli: ['brotli'], cli: ['click', 'pygments', 'rich'] },
  requests: { socks: ['pysocks'], security: ['pyopenssl', 'cryptography'] },
  redis: { hiredis: ['hiredis'] },
  channels: { daphne: ['daphne'] },
  'django-storages': { boto3: ['boto3'], s3: ['boto3'], google: ['google-cloud-storage'], azure: ['azure-storage-blob'] },
  gunicorn: { gevent: ['gevent'], eventlet: ['eventlet'], tornado: ['tornado'] },
  aiohttp: { speedups: ['aiodns', 'brotli'] },
  'python-socketio': { asyncio_client: ['aiohttp'], client: ['requests', 'websocket-client'] },
  dramatiq: { redis: ['redis'], rabbitmq: ['pika'] },
  'sentry-sdk': { fastapi: ['fastapi'], flask: ['flask', 'blinker'], celery: ['celery'], sqlalchemy: ['sqlalchemy'] },
  'pydantic-settings': { yaml: ['pyyaml'], toml: ['tomli'] },
  'langchain': { openai: ['langchain-openai'], anthropic: ['langchain-anthropic'] },
  'passlib': { bcrypt: ['bcrypt'], argon2: ['argon2-cffi'] },
};

/**
 * Releases whose plain install pulls in an extra: FastAPI 0.111.x installed the `standard` extra
 * by default (0.112.0 moved it back behind `fastapi[standard]`).
 */
export const IMPLIED_EXTRAS: Record<string, { versions: string; extra: string }[]> = {
  fastapi: [{ versions: '>=0.111.0,<0.112.0', extra: 'standard' }],
};

/** Distributions an extra of `dist` installs (normalised). */
export function extraProvides(dist: string, extra: string): string[] {
  const d = normaliseDist(dist);
  const e = extra.toLowerCase().replace(/[-.]+/g, '_');
  const listed = EXTRAS[d]?.[e] ?? EXTRAS[d]?.[extra.toLowerCase()];
  return [...(listed ?? []), normaliseDist(extra)].map(normaliseDist);
}

/**
 * Runtime dependencies of popular distributions (from their metadata, current majors), so an
 * import of a transitive dependency counts as installed. Not exhaustive: a declared distribution
 * missing here may still install the imported one, see `COMMONLY_TRANSITIVE`.
 */
const DEPENDS: Record<string, string[]> = {
  fastapi: ['starlette', 'pydantic', 'typing-extensions', 'annotated-types'],
  starlette: ['anyio', 'typing-extensions'],
  pydantic: ['pydantic-core', 'typing-extensions', 'annotated-types', 'typing-inspection'],
  'pydantic-settings': ['pydantic', 'python-dotenv', 'typing-inspection'],
  sqlmodel: ['sqlalchemy', 'pydantic'],
  uvicorn: ['click', 'h11', 'typing-extensions'],
  gunicorn: ['packaging'],
  flask: ['werkzeug', 'jinja2', 'itsdangerous', 'click', 'blinker', 'markupsafe'],
  werkzeug: ['markupsafe'],
  jinja2: ['markupsafe'],
  'flask-sqlalchemy': ['flask', 'sqlalchemy'],
  'flask-migrate': ['flask', 'flask-sqlalchemy', 'alembic'],
  'flask-login': ['flask', 'werkzeug'],
  'flask-cors': ['flask'],
  'flask-wtf': ['flask', 'wtforms', 'itsdangerous'],
  'flask-jwt-extended': ['flask', 'pyjwt', 'werkzeug'],
  'flask-restx': ['flask', 'werkzeug', 'jsonschema', 'aniso8601', 'pytz', 'importlib-resources'],
  'flask-socketio': ['flask', 'python-socketio'],
  'python-socketio': ['python-engineio', 'bidict'],
  'flask-marshmallow': ['flask', 'marshmallow'],
  'marshmallow-sqlalchemy': ['marshmallow', 'sqlalchemy'],
  django: ['asgiref', 'sqlparse', 'tzdata'],
  djangorestframework: ['django'],
  'djangorestframework-simplejwt': ['django', 'djangorestframework', 'pyjwt'],
  'django-cors-headers': ['django', 'asgiref'],
  'django-filter': ['django'],
  'django-storages': ['django'],
  'django-celery-beat': ['celery', 'django', 'django-timezone-field', 'python-crontab', 'cron-descriptor', 'tzdata'],
  'django-celery-results': ['celery', 'django'],
  'drf-yasg': ['django', 'djangorestframework', 'pyyaml', 'inflection', 'packaging', 'pytz', 'uritemplate'],
  'drf-spectacular': ['django', 'djangorestframework', 'jsonschema', 'pyyaml', 'uritemplate', 'inflection'],
  'django-allauth': ['django', 'asgiref'],
  channels: ['django', 'asgiref'],
  'channels-redis': ['redis', 'msgpack', 'asgiref', 'channels'],
  daphne: ['twisted', 'autobahn', 'asgiref'],
  celery: ['kombu', 'billiard', 'vine', 'click', 'click-didyoumean', 'click-repl', 'click-plugins', 'python-dateutil', 'tzdata'],
  kombu: ['amqp', 'vine', 'tzdata', 'packaging'],
  flower: ['celery', 'tornado', 'prometheus-client', 'humanize', 'pytz'],
  rq: ['redis', 'click'],
  sqlalchemy: ['greenlet', 'typing-extensions'],
  alembic: ['sqlalchemy', 'mako', 'typing-extensions'],
  'geoalchemy2': ['sqlalchemy', 'packaging'],
  databases: ['sqlalchemy'],
  asyncpg: ['async-timeout'],
  httpx: ['httpcore', 'anyio', 'certifi', 'idna', 'sniffio'],
  httpcore: ['h11', 'certifi'],
  anyio: ['idna', 'sniffio', 'typing-extensions'],
  requests: ['urllib3', 'idna', 'certifi', 'charset-normalizer'],
  'requests-oauthlib': ['requests', 'oauthlib'],
  'requests-toolbelt': ['requests'],
  aiohttp: ['multidict', 'yarl', 'aiosignal', 'frozenlist', 'attrs', 'aiohappyeyeballs', 'async-timeout', 'propcache'],
  'python-jose': ['ecdsa', 'rsa', 'pyasn1'],
  rsa: ['pyasn1'],
  passlib: [],
  authlib: ['cryptography'],
  cryptography: ['cffi'],
  cffi: ['pycparser'],
  bcrypt: [],
  boto3: ['botocore', 's3transfer', 'jmespath'],
  botocore: ['urllib3', 'python-dateutil', 'jmespath'],
  s3transfer: ['botocore'],
  aioboto3: ['aiobotocore', 'aiofiles'],
  aiobotocore: ['botocore', 'aiohttp', 'wrapt', 'aioitertools'],
  'python-dateutil': ['six'],
  pandas: ['numpy', 'python-dateutil', 'pytz', 'tzdata'],
  'scikit-learn': ['numpy', 'scipy', 'joblib', 'threadpoolctl'],
  scipy: ['numpy'],
  matplotlib: ['numpy', 'pillow', 'contourpy', 'cycler', 'fonttools', 'kiwisolver', 'packaging', 'pyparsing', 'python-dateutil'],
  seaborn: ['numpy', 'pandas', 'matplotlib'],
  statsmodels: ['numpy', 'scipy', 'pandas', 'patsy', 'packaging'],
  'opencv-python': ['numpy'],
  'opencv-python-headless': ['numpy'],
  transformers: ['huggingface-hub', 'numpy', 'packaging', 'pyyaml', 'regex', 'requests', 'tokenizers', 'safetensors', 'tqdm', 'filelock'],
  'sentence-transformers': ['transformers', 'torch', 'scikit-learn', 'scipy', 'huggingface-hub', 'pillow', 'tqdm', 'numpy'],
  'huggingface-hub': ['filelock', 'fsspec', 'packaging', 'pyyaml', 'requests', 'tqdm', 'typing-extensions'],
  datasets: ['numpy', 'pandas', 'pyarrow', 'requests', 'tqdm', 'huggingface-hub', 'fsspec', 'filelock', 'pyyaml', 'xxhash', 'multiprocess', 'dill', 'aiohttp'],
  torch: ['filelock', 'typing-extensions', 'sympy', 'networkx', 'jinja2', 'fsspec'],
  openai: ['httpx', 'pydantic', 'anyio', 'distro', 'sniffio', 'tqdm', 'typing-extensions', 'jiter'],
  anthropic: ['httpx', 'pydantic', 'anyio', 'distro', 'sniffio', 'typing-extensions', 'jiter'],
  tiktoken: ['regex', 'requests'],
  'langchain-core': ['pydantic', 'pyyaml', 'jsonpatch', 'langsmith', 'packaging', 'tenacity', 'typing-extensions'],
  langchain: ['langchain-core', 'langchain-text-splitters', 'langsmith', 'pydantic', 'sqlalchemy', 'requests', 'pyyaml', 'aiohttp', 'numpy', 'tenacity'],
  'langchain-community': ['langchain-core', 'langchain', 'sqlalchemy', 'requests', 'pyyaml', 'aiohttp', 'tenacity', 'dataclasses-json', 'pydantic-settings', 'langsmith', 'httpx-sse', 'numpy'],
  'langchain-openai': ['langchain-core', 'openai', 'tiktoken'],
  'langchain-anthropic': ['langchain-core', 'anthropic'],
  chromadb: ['numpy', 'pydantic', 'fastapi', 'uvicorn', 'posthog', 'onnxruntime', 'tokenizers', 'pypika', 'tqdm', 'overrides', 'importlib-resources', 'grpcio', 'bcrypt', 'typer', 'kubernetes', 'tenacity', 'pyyaml', 'mmh3', 'orjson', 'httpx', 'rich', 'build', 'opentelemetry-api', 'opentelemetry-sdk'],
  'qdrant-client': ['grpcio', 'httpx', 'numpy', 'portalocker', 'pydantic', 'urllib3', 'protobuf'],
  'google-cloud-storage': ['google-auth', 'google-api-core', 'google-cloud-core', 'google-resumable-media', 'requests', 'google-crc32c'],
  'google-cloud-core': ['google-api-core', 'google-auth'],
  'google-api-core': ['googleapis-common-protos', 'protobuf', 'proto-plus', 'google-auth', 'requests'],
  'google-auth': ['cachetools', 'pyasn1-modules', 'rsa'],
  'google-api-python-client': ['httplib2', 'google-auth', 'google-auth-httplib2', 'google-api-core', 'uritemplate'],
  'google-generativeai': ['google-ai-generativelanguage', 'google-api-core', 'google-api-python-client', 'google-auth', 'protobuf', 'pydantic', 'tqdm', 'typing-extensions'],
  'firebase-admin': ['cachecontrol', 'google-api-python-client', 'google-cloud-storage', 'pyjwt', 'google-api-core', 'google-cloud-firestore'],
  grpcio: [],
  'grpcio-tools': ['grpcio', 'protobuf', 'setuptools'],
  stripe: ['requests', 'typing-extensions'],
  twilio: ['requests', 'pyjwt', 'aiohttp', 'aiohttp-retry'],
  sendgrid: ['python-http-client', 'ecdsa'],
  'slack-bolt': ['slack-sdk'],
  web3: ['aiohttp', 'eth-abi', 'eth-account', 'eth-hash', 'eth-typing', 'eth-utils', 'hexbytes', 'pydantic', 'requests', 'typing-extensions', 'websockets', 'pyunormalize'],
  'eth-account': ['eth-abi', 'eth-keyfile', 'eth-keys', 'eth-rlp', 'eth-utils', 'hexbytes', 'rlp', 'bitarray', 'ckzg', 'pydantic'],
  'sentry-sdk': ['urllib3', 'certifi'],
  'prometheus-fastapi-instrumentator': ['prometheus-client', 'starlette'],
  'sse-starlette': ['starlette', 'anyio'],
  slowapi: ['limits'],
  'fastapi-users': ['fastapi', 'pwdlib', 'email-validator', 'pyjwt', 'python-multipart', 'makefun'],
  sqladmin: ['starlette', 'sqlalchemy', 'wtforms', 'jinja2', 'python-multipart'],
  typer: ['click', 'typing-extensions', 'rich', 'shellingham'],
  rich: ['markdown-it-py', 'pygments'],
  'markdown-it-py': ['mdurl'],
  jsonschema: ['attrs', 'jsonschema-specifications', 'referencing', 'rpds-py'],
  structlog: [],
  loguru: [],
  tenacity: [],
  docker: ['requests', 'urllib3'],
  kubernetes: ['certifi', 'six', 'python-dateutil', 'pyyaml', 'google-auth', 'websocket-client', 'requests', 'requests-oauthlib', 'oauthlib', 'urllib3', 'durationpy'],
  paramiko: ['bcrypt', 'cryptography', 'pynacl'],
  scrapy: ['twisted', 'cryptography', 'cssselect', 'itemloaders', 'parsel', 'pyopenssl', 'queuelib', 'service-identity', 'w3lib', 'zope-interface', 'protego', 'itemadapter', 'packaging', 'tldextract', 'lxml', 'defusedxml', 'pydispatcher'],
  selenium: ['urllib3', 'trio', 'trio-websocket', 'certifi', 'typing-extensions', 'websocket-client'],
  streamlit: ['altair', 'blinker', 'cachetools', 'click', 'numpy', 'packaging', 'pandas', 'pillow', 'protobuf', 'pyarrow', 'requests', 'tenacity', 'toml', 'typing-extensions', 'gitpython', 'pydeck', 'tornado', 'watchdog', 'rich'],
  gradio: ['fastapi', 'uvicorn', 'httpx', 'huggingface-hub', 'jinja2', 'markupsafe', 'numpy', 'orjson', 'packaging', 'pandas', 'pillow', 'pydantic', 'python-multipart', 'pyyaml', 'typer', 'typing-extensions', 'aiofiles', 'anyio', 'ffmpy', 'gradio-client', 'pydub', 'semantic-version', 'tomlkit', 'ruff', 'safehttpx', 'starlette', 'groovy'],
  motor: ['pymongo'],
  beanie: ['motor', 'pydantic', 'click', 'toml', 'lazy-model', 'typing-extensions'],
  mongoengine: ['pymongo'],
  'elasticsearch': ['elastic-transport'],
  'elastic-transport': ['urllib3', 'certifi'],
  'pytest-asyncio': ['pytest'],
  'pytest-mock': ['pytest'],
  pytest: ['iniconfig', 'packaging', 'pluggy'],
  moto: ['boto3', 'botocore', 'cryptography', 'requests', 'xmltodict', 'werkzeug', 'python-dateutil', 'responses', 'jinja2'],
  faker: ['python-dateutil', 'tzdata'],
  'factory-boy': ['faker'],
  supabase: ['postgrest', 'realtime', 'gotrue', 'httpx', 'storage3', 'supafunc'],
  gspread: ['google-auth', 'google-auth-oauthlib'],
  apscheduler: ['tzlocal', 'six', 'pytz'],
  'python-telegram-bot': ['httpx'],
  aiogram: ['aiohttp', 'pydantic', 'magic-filter', 'aiofiles', 'certifi', 'typing-extensions'],
  'discord-py': ['aiohttp'],
  pymupdf: [],
  'python-docx': ['lxml', 'typing-extensions'],
  'python-pptx': ['lxml', 'pillow', 'xlsxwriter', 'typing-extensions'],
  openpyxl: ['et-xmlfile'],
  reportlab: ['pillow', 'chardet'],
  weasyprint: ['pydyf', 'cffi', 'tinyhtml5', 'tinycss2', 'cssselect2', 'pyphen', 'pillow', 'fonttools'],
  'email-validator': ['dnspython', 'idna'],
  'fastapi-mail': ['aiosmtplib', 'jinja2', 'pydantic', 'pydantic-settings', 'email-validator', 'starlette', 'blinker'],
  'pinecone': ['certifi', 'urllib3', 'typing-extensions', 'python-dateutil', 'pinecone-plugin-interface'],
  'llama-index': ['llama-index-core', 'llama-index-llms-openai', 'llama-index-embeddings-openai', 'nltk'],
  'llama-index-core': ['sqlalchemy', 'numpy', 'pandas', 'tiktoken', 'nltk', 'networkx', 'pydantic', 'pyyaml', 'requests', 'tenacity', 'tqdm', 'aiohttp', 'fsspec', 'httpx', 'dataclasses-json', 'deprecated', 'dirtyjson', 'filetype', 'nest-asyncio', 'pillow', 'wrapt', 'typing-extensions', 'typing-inspect'],
  'mangum': ['typing-extensions'],
  'ccxt': ['requests', 'certifi', 'cryptography', 'typing-extensions', 'aiohttp', 'aiodns', 'yarl', 'setuptools'],
};

/** Distributions every Python image or virtualenv tool ships, or that are never imported for real. */
const ALWAYS_PRESENT = new Set(['pip', 'setuptools', 'wheel', 'pkg-resources', 'distutils']);

/**
 * Libraries that so many distributions depend on that an import of one with only an unknown
 * distribution declared is probably satisfied transitively: reporting it would be a guess.
 */
const COMMONLY_TRANSITIVE = new Set(
  `typing-extensions six attrs certifi idna urllib3 charset-normalizer chardet requests packaging python-dateutil pytz
  tzdata click jinja2 markupsafe pyyaml numpy protobuf grpcio cryptography cffi pycparser anyio sniffio h11 httpx
  httpcore pydantic pydantic-core annotated-types tqdm filelock wrapt decorator colorama tomli zipp importlib-metadata
  greenlet multidict yarl frozenlist aiosignal async-timeout websockets rich pygments markdown-it-py mdurl jmespath
  botocore s3transfer pyasn1 pyasn1-modules rsa ecdsa google-auth google-api-core googleapis-common-protos cachetools
  oauthlib requests-oauthlib pyjwt itsdangerous werkzeug blinker mako sqlalchemy psutil dnspython regex fsspec
  huggingface-hub tokenizers safetensors pillow scipy joblib threadpoolctl pandas pyarrow jsonschema referencing
  rpds-py jsonschema-specifications msgpack starlette aiohttp lxml networkx sympy mpmath tenacity orjson ujson
  python-dotenv h2 hpack hyperframe distro jiter typing-inspection deprecated more-itertools platformdirs
  exceptiongroup iniconfig pluggy setuptools wheel pip toml tomlkit simplejson cachecontrol httplib2 uritemplate
  pyparsing soupsieve beautifulsoup4 defusedxml xmltodict asgiref sqlparse kombu vine amqp billiard redis
  proto-plus grpcio-status opentelemetry-api opentelemetry-sdk watchfiles uvloop httptools backoff`
    .split(/\s+/)
    .filter(Boolean),
);

/** Every distribution installed along with `declared` (normalised names), following DEPENDS. */
export function installedWith(declared: Iterable<string>): Set<string> {
  const out = new Set<string>();
  const stack = [...declared].map(normaliseDist);
  while (stack.length) {
    const d = stack.pop()!;
    if (out.has(d)) continue;
    out.add(d);
    for (const dep of DEPENDS[d] ?? []) stack.push(normaliseDist(dep));
  }
  return out;
}

/** True when the dependency graph of `dist` is in the table (so its absence from `installedWith` is meaningful). */
export function dependenciesKnown(dist: string): boolean {
  return normaliseDist(dist) in DEPENDS;
}

export function isAlwaysPresent(dist: string): boolean {
  return ALWAYS_PRESENT.has(normaliseDist(dist));
}

export function isCommonlyTransitive(dist: string): boolean {
  return COMMONLY_TRANSITIVE.has(normaliseDist(dist));
}

/**
 * Loose match between an import name and a distribution name the table does not know:
 * `magic` ~ python-magic, `flask_caching` ~ Flask-Caching, `decouple` ~ python-decouple.
 */
export function looselyProvides(dist: string, importTop: string): boolean {
  const strip = (s: string) =>
    s
      .toLowerCase()
      .replace(/[^a-z0-9]/g, '')
      .replace(/^(python|py)(?=.{3,})/, '')
      .replace(/(python|py|client|sdk|api)$/, '');
  const d = strip(dist);
  const i = strip(importTop);
  if (!d || !i) return false;
  return d === i || (i.length >= 3 && d.includes(i)) || (d.length >= 3 && i.includes(d));
}
