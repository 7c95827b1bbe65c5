"""location geocoding status: editors' addresses are geocoded on save; failures are listed

Revision ID: 8d6b9a71591f
Revises: 3b4bdeafae50
Create Date: 2026-11-25 07:21:49.471358

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8d6b9a71591f'
down_revision = '3b4bdeafae50'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('location', schema=None) as batch_op:
        batch_op.add_column(sa.Column('geocode_status', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('geocode_source', sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column('geocode_note', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('geocoded_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_location_geocode_status'), ['geocode_status'], unique=False)



def downgrade():
    with op.batch_alter_table('location', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_location_geocode_status'))
        batch_op.drop_column('geocoded_at')
        batch_op.drop_column('geocode_note')
        batch_op.drop_column('geocode_source')
        batch_op.drop_column('geocode_status')

