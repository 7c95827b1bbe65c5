"""four eyes proposals: a change to a published service can wait for a second editor

Revision ID: 56940ece534e
Revises: e1bc73a583ce
Create Date: 2026-11-25 09:02:03.650921

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '56940ece534e'
down_revision = 'e1bc73a583ce'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('revision', schema=None) as batch_op:
        batch_op.add_column(sa.Column('state', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('base_version', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('reviewed_by', sa.String(length=250), nullable=True))
        batch_op.create_index(batch_op.f('ix_revision_state'), ['state'], unique=False)



def downgrade():
    with op.batch_alter_table('revision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_revision_state'))
        batch_op.drop_column('reviewed_by')
        batch_op.drop_column('base_version')
        batch_op.drop_column('state')

