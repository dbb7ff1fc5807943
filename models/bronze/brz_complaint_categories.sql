-- Reference data maintained by hand, as a seed.
select * from {{ ref('raw_complaint_categories') }}
