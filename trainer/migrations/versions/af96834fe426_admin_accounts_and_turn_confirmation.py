"""Admin accounts: forced password change, deactivation; a coach's confirmation of a turn's grade

Revision ID: af96834fe426
Revises: b7c1e2d3f4a5
Create Date: 2026-11-30 01:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'af96834fe426'
down_revision = 'b7c1e2d3f4a5'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        # sa.false() renders as 0 on SQLite and false on PostgreSQL
        batch_op.add_column(sa.Column('must_change_password', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))
        batch_op.add_column(sa.Column('deactivated_at', sa.DateTime(), nullable=True))

    op.create_table('turn_confirmation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('turn_id', sa.Integer(), nullable=False),
    sa.Column('coach_id', sa.Integer(), nullable=False),
    sa.Column('scores_json', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['coach_id'], ['user.id'], ),
    sa.ForeignKeyConstraint(['turn_id'], ['turn.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('turn_confirmation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_turn_confirmation_turn_id'), ['turn_id'], unique=False)


def downgrade():
    with op.batch_alter_table('turn_confirmation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_turn_confirmation_turn_id'))
    op.drop_table('turn_confirmation')
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('deactivated_at')
        batch_op.drop_column('must_change_password')
