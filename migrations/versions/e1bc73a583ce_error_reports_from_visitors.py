"""error reports from visitors: "meld een fout" on every service, into the editors' queue

Revision ID: e1bc73a583ce
Revises: c7ccbbffe346
Create Date: 2026-11-25 08:44:42.128252

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e1bc73a583ce'
down_revision = 'c7ccbbffe346'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('error_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.String(length=36), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('email', sa.String(length=250), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('handled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('handled_by', sa.String(length=250), nullable=True),
    sa.ForeignKeyConstraint(['service_id'], ['service.id'], name=op.f('fk_error_report_service_id_service')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_error_report'))
    )
    with op.batch_alter_table('error_report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_error_report_service_id'), ['service_id'], unique=False)



def downgrade():
    with op.batch_alter_table('error_report', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_error_report_service_id'))

    op.drop_table('error_report')
