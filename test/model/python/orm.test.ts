import { ProjectModel } from '../../../src/model/project.js';
import { prepareParsers } from '../../../src/model/parsers.js';
import { camelToSnake, ormTables, pyOrmFiles } from '../../../src/model/python/orm.js';

async function model(files: Record<string, string>): Promise<ProjectModel> {
  await prepareParsers(Object.keys(files));
  return ProjectModel.fromFiles(files);
}

const cols = (m: ProjectModel) =>
  m.get(ormTables).map((t) => [t.name, t.columns.map((c) => `${c.name}:${c.family}${c.primaryKey ? ':pk' : ''}${c.nullable === false ? ':notnull' : c.nullable ? ':null' : ''}`), t.incomplete]);

describe('python ORM model', () => {
  test('SQLAlchemy 1.x declarative with Column', async () => {
    const m = await model({
      'backend/database.py': [
        'from sqlalchemy import Column, ForeignKey, Integer, String',
        'from sqlalchemy.orm import declarative_base, relationship',
        'Base = declarative_base()',
        'class Material(Base):',
        '    __tablename__ = "materials"',
        '    id = Column(Integer, primary_key=True, index=True)',
        '    name = Column("title", String(200), nullable=False)',
        '    supplier_id = Column(Integer, ForeignKey("suppliers.id"))',
        '    supplier = relationship("Supplier")',
        'class NotAModel:',
        '    x = 1',
      ].join('\n'),
    });
    expect(cols(m)).toEqual([['materials', ['id:integer:pk:notnull', 'title:string:notnull', 'supplier_id:integer'], false]]);
  });

  test('SQLAlchemy 2.0 Mapped[] with mixins; abstract and computed names skipped', async () => {
    const m = await model({
      'app/models.py': [
        'import uuid',
        'from typing import Optional',
        'from sqlalchemy import String, Uuid',
        'from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column',
        'class Base(DeclarativeBase):',
        '    pass',
        'class Timestamps:',
        '    created: Mapped[datetime] = mapped_column(server_default=func.now())',
        'class User(Timestamps, Base):',
        '    __tablename__ = "users"',
        '    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)',
        '    email: Mapped[str] = mapped_column(String(320), unique=True)',
        '    nick: Mapped[Optional[str]]',
        '    posts: Mapped[list["Post"]] = relationship()',
        'class Abstract(Base):',
        '    __abstract__ = True',
        '    id: Mapped[int] = mapped_column(primary_key=True)',
      ].join('\n'),
    });
    expect(cols(m)).toEqual([['users', ['created:datetime:notnull', 'id:uuid:pk:notnull', 'email:string:notnull', 'nick:string:null'], false]]);
  });

  test('Flask-SQLAlchemy db.Model derives snake_case names; SQLModel table=True', async () => {
    const m = await model({
      'app/models.py': [
        'from flask_sqlalchemy import SQLAlchemy',
        'db = SQLAlchemy()',
        'class UserProfile(db.Model):',
        '    id = db.Column(db.Integer, primary_key=True)',
        '    bio = db.Column(db.Text)',
      ].join('\n'),
      'api/models.py': [
        'import uuid',
        'from sqlmodel import Field, SQLModel',
        'class HeroBase(SQLModel):',
        '    name: str',
        'class Hero(HeroBase, table=True):',
        '    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)',
        '    team_id: int | None = Field(default=None, foreign_key="team.id")',
        'class HeroCreate(HeroBase):',
        '    pass',
      ].join('\n'),
    });
    expect(cols(m)).toEqual([
      ['hero', ['name:string:notnull', 'id:uuid:pk:notnull', 'team_id:integer:null'], false],
      ['user_profile', ['id:integer:pk:notnull', 'bio:string'], false],
    ]);
    expect(camelToSnake('HTTPLog')).toBe('http_log');
  });

  test('engines and create_all', async () => {
    const m = await model({
      'db.py': [
        'from sqlalchemy.ext.asyncio import create_async_engine',
        'engine = create_async_engine(settings.DATABASE_URL, echo=True)',
        'sync = create_engine("sqlite:///x.db")',
        'async def init():',
        '    async with engine.begin() as conn:',
        '        await conn.run_sync(Base.metadata.create_all)',
      ].join('\n'),
    });
    const f = pyOrmFiles(m).get('db.py')!;
    expect(f.engines).toEqual([
      { fn: 'create_async_engine', line: 2, url: { expr: 'settings.DATABASE_URL' } },
      { fn: 'create_engine', line: 3, url: { literal: 'sqlite:///x.db' } },
    ]);
    expect(f.createAll).toEqual([6]);
  });
});
