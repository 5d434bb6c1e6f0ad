"""API token expiry and revocation; cohort invitations a trainee accepts

Revision ID: b7c1e2d3f4a5
Revises: 9257426200a0
Create Date: 2026-11-29 23:30:00

"""
from datetime import datetime, timedelta, timezone

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7c1e2d3f4a5'
down_revision = '9257426200a0'
branch_labels = None
depends_on = None

# Tokens issued before expiry existed keep working this long after the upgrade, then must be
# reissued (a token without an expiry is refused).
GRACE_DAYS = 90


def upgrade():
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.add_column(sa.Column('expires_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('revoked_at', sa.DateTime(), nullable=True))
    until = datetime.now(timezone.utc).replace(tzinfo=None) + timedelta(days=GRACE_DAYS)
    op.execute(sa.text("UPDATE api_token SET expires_at = :until WHERE expires_at IS NULL")
               .bindparams(sa.bindparam("until", until, type_=sa.DateTime())))

    op.create_table('cohort_invite',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('invited_by', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohort.id'], ),
    sa.ForeignKeyConstraint(['invited_by'], ['user.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('cohort_id', 'user_id')
    )
    with op.batch_alter_table('cohort_invite', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cohort_invite_cohort_id'), ['cohort_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cohort_invite_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('cohort_invite', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cohort_invite_user_id'))
        batch_op.drop_index(batch_op.f('ix_cohort_invite_cohort_id'))
    op.drop_table('cohort_invite')
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.drop_column('revoked_at')
        batch_op.drop_column('expires_at')
