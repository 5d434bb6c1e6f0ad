"""A trainee may be in several cohorts: memberships move from user.cohort_id to cohort_member

Revision ID: c3d4e5f6a7b8
Revises: af96834fe426
Create Date: 2026-11-30 02:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c3d4e5f6a7b8'
down_revision = 'af96834fe426'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('cohort_member',
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('joined_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohort.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('cohort_id', 'user_id')
    )
    with op.batch_alter_table('cohort_member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cohort_member_user_id'), ['user_id'], unique=False)
    # Every existing membership comes along, dated from the account's creation.
    op.execute('INSERT INTO cohort_member (cohort_id, user_id, joined_at) '
               'SELECT cohort_id, id, created_at FROM "user" WHERE cohort_id IS NOT NULL')
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_cohort_id'))
        batch_op.drop_column('cohort_id')


def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cohort_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_user_cohort_id'), ['cohort_id'], unique=False)
        batch_op.create_foreign_key('fk_user_cohort_id_cohort', 'cohort', ['cohort_id'], ['id'])
    # One cohort a trainee again: the one joined first.
    op.execute('UPDATE "user" SET cohort_id = (SELECT m.cohort_id FROM cohort_member m WHERE m.user_id = "user".id '
               'ORDER BY m.joined_at, m.cohort_id LIMIT 1)')
    with op.batch_alter_table('cohort_member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cohort_member_user_id'))
    op.drop_table('cohort_member')
