-- Social-media complaints as landed, the nested JSON flattened to columns; landing columns kept.
select
    post.id as post_id,
    post.posted_at as posted_at,
    author.customer_id as customer_id,
    author.handle as author_handle,
    triage.category as category,
    triage.status as status,
    triage.agent as agent_id,
    updated_at,
    _strata_source_file,
    _strata_loaded_at,
    _strata_invocation_id
from {{ source('landing', 'social_complaints') }}
