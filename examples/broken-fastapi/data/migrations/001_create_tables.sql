CREATE EXTENSION IF NOT EXISTS "uuid-ossp";

CREATE TABLE materials (
    id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    name VARCHAR(200) NOT NULL,
    unit_price NUMERIC(10, 2) NOT NULL
);

CREATE TABLE suppliers (
    id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    name VARCHAR(200) NOT NULL,
    material_id UUID REFERENCES materials(id)
);
