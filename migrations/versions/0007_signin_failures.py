"""signin failures counted in the database (shared by every worker and app server)

Revision ID: 0007_signin_failures
Revises: 0006_offline
Create Date: 2026-12-06 23:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007_signin_failures'
down_revision = '0006_offline'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('signin_failure',
    sa.Column('key', sa.String(length=255), nullable=False),
    sa.Column('window_start', sa.Float(), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_signin_failure'))
    )


def downgrade():
    op.drop_table('signin_failure')
