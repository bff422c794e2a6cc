"""the yearly work rollup and its totals, filled from the monthly one; contacts indexed by client and
creation (her page's "just logged"); indexes for the dashboard's overview of every pair:
open tasks, the clients' counts, the encounters per area

Revision ID: 0008_yearly_rollup
Revises: 0007_signin_failures
Create Date: 2026-12-07 15:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008_yearly_rollup'
down_revision = '0007_signin_failures'
branch_labels = None
depends_on = None


def _create_yearly(name):
    """A yearly rollup table: the work rollup's columns with the year's first day."""
    op.create_table(name,
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pair_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Date(), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('detail', sa.String(length=32), server_default='', nullable=False),
    sa.Column('outcome', sa.String(length=16), server_default='', nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('people', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['pair_id'], ['pair.id'], name=op.f(f'fk_{name}_pair_id_pair')),
    sa.PrimaryKeyConstraint('id', name=op.f(f'pk_{name}')),
    sa.UniqueConstraint('pair_id', 'year', 'role', 'kind', 'detail', 'outcome', name=f'uq_{name}_group')
    )


def upgrade():
    _create_yearly('work_rollup_year')
    # The months summed per year: the yearly rollup equals them from the start.
    if op.get_bind().dialect.name == 'postgresql':
        year = "CAST(date_trunc('year', month) AS DATE)"
    else:
        year = "date(month, 'start of year')"
    op.execute(
        "INSERT INTO work_rollup_year (pair_id, year, role, kind, detail, outcome, count, "
        f"minutes, people) SELECT pair_id, {year}, role, kind, detail, outcome, sum(count), "
        f"sum(minutes), sum(people) FROM work_rollup_month "
        f"GROUP BY pair_id, {year}, role, kind, detail, outcome"
    )
    _create_yearly('work_rollup_year_total')
    # ...and the years summed over channels, service kinds and outcomes.
    op.execute(
        "INSERT INTO work_rollup_year_total (pair_id, year, role, kind, detail, outcome, "
        "count, minutes, people) SELECT pair_id, year, role, kind, '', '', sum(count), "
        "sum(minutes), sum(people) FROM work_rollup_year GROUP BY pair_id, year, role, kind"
    )
    with op.batch_alter_table('contact', schema=None) as batch_op:
        batch_op.create_index('ix_contact_client_created', ['client_id', 'created_at'], unique=False)
    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.create_index('ix_task_open_pair_assignee_due', ['pair_id', 'assignee', 'due_on'], unique=False, postgresql_where=sa.text("status = 'open'"), sqlite_where=sa.text("status = 'open'"))
    with op.batch_alter_table('client', schema=None) as batch_op:
        batch_op.create_index('ix_client_pair_counts', ['pair_id', 'status', 'created_at', 'last_contact_at', 'last_record_at'], unique=False, postgresql_where=sa.text('merged_into_id IS NULL'), sqlite_where=sa.text('merged_into_id IS NULL'))
    with op.batch_alter_table('anonymous_encounter', schema=None) as batch_op:
        batch_op.create_index('ix_anonymous_encounter_met_on_area', ['met_on', 'pair_id', 'area'], unique=False)


def downgrade():
    with op.batch_alter_table('anonymous_encounter', schema=None) as batch_op:
        batch_op.drop_index('ix_anonymous_encounter_met_on_area')
    with op.batch_alter_table('client', schema=None) as batch_op:
        batch_op.drop_index('ix_client_pair_counts', postgresql_where=sa.text('merged_into_id IS NULL'), sqlite_where=sa.text('merged_into_id IS NULL'))
    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.drop_index('ix_task_open_pair_assignee_due', postgresql_where=sa.text("status = 'open'"), sqlite_where=sa.text("status = 'open'"))
    with op.batch_alter_table('contact', schema=None) as batch_op:
        batch_op.drop_index('ix_contact_client_created')
    op.drop_table('work_rollup_year_total')
    op.drop_table('work_rollup_year')
