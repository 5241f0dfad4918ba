import check from '../../../checks/python/schema-mismatch.js';
import { checkTable } from '../../helpers/check-tester.js';

const SQL_000 = [
  'CREATE EXTENSION IF NOT EXISTS "uuid-ossp";',
  '',
  'CREATE TABLE materials (',
  '    id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),',
  '    name VARCHAR(200) NOT NULL,',
  '    unit_price NUMERIC(10, 2) NOT NULL',
  ');',
  '',
  'CREATE TABLE suppliers (',
  '    id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),',
  '    name VARCHAR(200) NOT NULL,',
  '    material_id UUID REFERENCES materials(id)',
  ');',
].join('\n');

const ORM_000 = [
  'from sqlalchemy import Column, ForeignKey, Integer, Numeric, String, create_engine',
  'from sqlalchemy.orm import declarative_base, sessionmaker',
  '',
  'Base = declarative_base()',
  '',
  'class Material(Base):',
  '    __tablename__ = "materials"',
  '',
  '    id = Column(Integer, primary_key=True, index=True)',
  '    name = Column(String(200), nullable=False)',
  '    unit_price = Column(Numeric(10, 2), nullable=False)',
  '',
  'class Supplier(Base):',
  '    __tablename__ = "suppliers"',
  '',
  '    id = Column(Integer, primary_key=True, index=True)',
  '    name = Column(String(200), nullable=False)',
  '    material_id = Column(Integer, ForeignKey("materials.id"))',
].join('\n');

const HEALTHY_MODELS = [
  'from sqlalchemy import Integer, String, Text',
  'from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column',
  'class Base(DeclarativeBase):',
  '    pass',
  'class Note(Base):',
  '    __tablename__ = "notes"',
  '    id: Mapped[int] = mapped_column(Integer, primary_key=True)',
  '    title: Mapped[str] = mapped_column(String(200))',
  '    body: Mapped[str | None] = mapped_column(Text)',
].join('\n');

const HEALTHY_REVISION = [
  'import sqlalchemy as sa',
  'from alembic import op',
  'revision = "0001"',
  'down_revision = None',
  'def upgrade() -> None:',
  '    op.create_table(',
  '        "notes",',
  '        sa.Column("id", sa.Integer(), primary_key=True),',
  '        sa.Column("title", sa.String(200), nullable=False),',
  '        sa.Column("body", sa.Text(), nullable=True),',
  '    )',
  'def downgrade() -> None:',
  '    op.drop_table("notes")',
].join('\n');

checkTable(check, {
  valid: [
    {
      name: 'healthy: Mapped[] models match the Alembic revision',
      files: { 'alembic.ini': '[alembic]\nscript_location = alembic\n', 'alembic/env.py': 'from alembic import context\n', 'alembic/versions/0001_notes.py': HEALTHY_REVISION, 'app/models.py': HEALTHY_MODELS },
    },
    {
      name: 'text vs uuid and integer vs numeric are coerced by PostgreSQL',
      files: {
        'db/001.sql': 'CREATE TABLE users (id varchar(36) PRIMARY KEY, score numeric);',
        'app/models.py': 'from sqlalchemy.orm import declarative_base\nBase = declarative_base()\nclass User(Base):\n    __tablename__ = "users"\n    id = Column(Uuid, primary_key=True)\n    score = Column(Integer)\n',
      },
    },
    {
      name: 'a later migration fixes the type (ALTER COLUMN TYPE) and adds the column',
      files: {
        'migrations/001_init.sql': 'CREATE TABLE users (id integer PRIMARY KEY);',
        'migrations/002_uuid.sql': 'ALTER TABLE users ALTER COLUMN id TYPE uuid USING gen_random_uuid();\nALTER TABLE users ADD COLUMN email text;',
        'app/models.py': 'from sqlalchemy.orm import declarative_base\nBase = declarative_base()\nclass User(Base):\n    __tablename__ = "users"\n    id = Column(UUID(as_uuid=True), primary_key=True)\n    email = Column(String)\n',
      },
    },
    {
      name: 'down migrations and test fixtures are not the schema',
      files: {
        'migrations/001_init.up.sql': 'CREATE TABLE users (id integer PRIMARY KEY);',
        'migrations/001_init.down.sql': 'DROP TABLE users;',
        'tests/fixtures/schema.sql': 'CREATE TABLE users (id uuid PRIMARY KEY);',
        'app/models.py': 'from sqlalchemy.orm import declarative_base\nBase = declarative_base()\nclass User(Base):\n    __tablename__ = "users"\n    id = Column(Integer, primary_key=True)\n',
      },
    },
    {
      name: 'a table changed by SQL the model cannot read is not compared',
      files: {
        'alembic/versions/a.py': 'from alembic import op\nrevision = "a"\ndown_revision = None\ndef upgrade():\n    op.create_table("users", sa.Column("id", sa.Integer(), primary_key=True))\n    for col in COLS:\n        op.add_column("users", col)\n',
        'app/models.py': 'from sqlalchemy.orm import declarative_base\nBase = declarative_base()\nclass User(Base):\n    __tablename__ = "users"\n    id = Column(Integer, primary_key=True)\n    email = Column(String)\n',
      },
    },
    {
      name: 'columns from a library mixin: the column list is incomplete, so nothing is said about missing columns',
      files: {
        'migrations/001.sql': 'CREATE TABLE users (id integer PRIMARY KEY, created_at timestamp NOT NULL, email text);',
        'app/models.py': 'from sqlalchemy.orm import declarative_base\nfrom fastapi_users.db import SQLAlchemyBaseUserTable\nBase = declarative_base()\nclass User(SQLAlchemyBaseUserTable, Base):\n    __tablename__ = "users"\n    id = Column(Integer, primary_key=True)\n    nickname = Column(String)\n',
      },
    },
    {
      name: 'a model table without migration is fine when the app calls create_all',
      files: {
        'migrations/001.sql': 'CREATE TABLE users (id integer PRIMARY KEY);',
        'app/models.py': 'from sqlalchemy.orm import declarative_base\nBase = declarative_base()\nclass User(Base):\n    __tablename__ = "users"\n    id = Column(Integer, primary_key=True)\nclass Audit(Base):\n    __tablename__ = "audit"\n    id = Column(Integer, primary_key=True)\n',
        'app/main.py': 'from app.models import Base\nBase.metadata.create_all(bind=engine)\n',
      },
    },
    {
      name: 'migrations for another database (no shared table) say nothing about the models',
      files: {
        'analytics/001.sql': 'CREATE TABLE events (id bigint PRIMARY KEY);',
        'app/models.py': 'from sqlalchemy.orm import declarative_base\nBase = declarative_base()\nclass User(Base):\n    __tablename__ = "users"\n    id = Column(Integer, primary_key=True)\n',
      },
    },
  ],
  invalid: [
    {
      name: 'report 000: UUID primary keys in SQL, Integer in the ORM',
      files: { 'data/migrations/001_create_tables.sql': SQL_000, 'backend/database.py': ORM_000 },
      errors: [
        { file: 'backend/database.py', line: 9, severity: 'critical', message: ['materials.id', 'primary key', 'Integer', 'UUID', 'data/migrations/001_create_tables.sql:4'], fix: ['Uuid'] },
        { file: 'backend/database.py', line: 16, severity: 'critical', message: ['suppliers.id', 'suppliers.material_id', 'data/migrations/001_create_tables.sql:12'] },
      ],
    },
    {
      name: 'Alembic: a model column no revision creates, and a NOT NULL column the model never fills',
      files: {
        'alembic/versions/0001_notes.py': HEALTHY_REVISION.replace('sa.Column("body", sa.Text(), nullable=True),', 'sa.Column("owner", sa.Integer(), nullable=False),'),
        'app/models.py': HEALTHY_MODELS,
      },
      errors: [{ file: 'app/models.py', line: 9, severity: 'critical', message: ['notes.body', 'no migration creates it', 'notes.owner', 'NOT NULL'] }],
    },
    {
      name: 'a model table that no migration creates while the others are migrated',
      files: {
        'migrations/001.sql': 'CREATE TABLE users (id integer PRIMARY KEY);',
        'app/models.py': 'from flask_sqlalchemy import SQLAlchemy\ndb = SQLAlchemy()\nclass User(db.Model):\n    __tablename__ = "users"\n    id = db.Column(db.Integer, primary_key=True)\nclass AuditLog(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n',
      },
      errors: [{ file: 'app/models.py', line: 6, severity: 'critical', message: ['audit_log', 'no migration creates it', 'relation audit_log does not exist'] }],
    },
    {
      name: 'MySQL dialect SQL still compares (int vs uuid)',
      files: {
        'db/schema.sql': 'CREATE TABLE `orders` (\n  `id` int(11) NOT NULL AUTO_INCREMENT,\n  PRIMARY KEY (`id`)\n) ENGINE=InnoDB;',
        'app/models.py': 'from sqlmodel import Field, SQLModel\nimport uuid\nclass Orders(SQLModel, table=True):\n    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)\n',
      },
      errors: [{ file: 'app/models.py', line: 4, message: ['orders.id', 'uuid', 'int'] }],
    },
  ],
});
