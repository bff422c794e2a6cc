"""offline writes from the phone: replay keys

Revision ID: 0006_offline
Revises: 0005_outings
Create Date: 2026-12-06 23:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006_offline'
down_revision = '0005_outings'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('replay_key',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('status', sa.Integer(), nullable=False),
    sa.Column('location', sa.String(length=500), nullable=False),
    sa.Column('message', sa.String(length=500), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_replay_key_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_replay_key')),
    sa.UniqueConstraint('user_id', 'key', name='uq_replay_key_user_key')
    )
    with op.batch_alter_table('replay_key', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_replay_key_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_replay_key_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('replay_key', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_replay_key_user_id'))
        batch_op.drop_index(batch_op.f('ix_replay_key_created_at'))
    op.drop_table('replay_key')
