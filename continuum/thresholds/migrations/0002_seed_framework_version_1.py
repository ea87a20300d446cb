"""Seed version 1 of the shared threshold framework: "Tees continuum of need".

The data is written out here, frozen, so that this migration never changes when later
versions of the framework are published (a new version is a new migration). All wording is
Continuum's own. Reversing the migration deletes exactly what it created; it refuses (the
foreign keys protect them) while councils still have local variations on this version.
"""

import datetime

from django.db import migrations

VERSION = {
    "number": 1,
    "title": "Tees continuum of need",
    "published_on": datetime.date(2026, 4, 1),
    "summary": (
        "One shared threshold framework for the four Tees councils and their partners: "
        "police, health, schools, early years settings and voluntary and community "
        "organisations. It describes four levels of need and the indicators that suggest "
        "each level, across the three domains of the assessment triangle. It supports "
        "professional judgement and conversations with families; it does not replace them."
    ),
    "is_current": True,
}

# (code, name, description, order)
DOMAINS = [
    (
        "developmental-needs",
        "The child's developmental needs",
        "The child's health, learning, emotional and behavioural development, identity, "
        "relationships and growing ability to look after themselves.",
        1,
    ),
    (
        "parenting-capacity",
        "Parenting capacity",
        "How well the child's parents or carers meet their needs: basic care, keeping them "
        "safe, warmth, stimulation, guidance and boundaries, and stability.",
        2,
    ),
    (
        "family-environment",
        "Family and environmental factors",
        "The wider world around the child: family relationships and history, wider family, "
        "housing, work and income, and links with the local community.",
        3,
    ),
]

# (domain code, indicator code, level, title, guidance)
INDICATORS = [
    # --- The child's developmental needs ----------------------------------------------
    (
        "developmental-needs",
        "DEV-1-01",
        1,
        "Meeting expected milestones with universal services",
        "The child is growing, learning and developing as expected for their age, and "
        "routine checks by health visitors, nurseries or schools raise no concerns. "
        "Universal services are enough. Keep noting progress and stay alert to change.",
    ),
    (
        "developmental-needs",
        "DEV-1-02",
        1,
        "Attendance of 95% or more and making progress in learning",
        "Good attendance and progress in line with the child's ability need no extra help. "
        "The school carries on with its usual monitoring. A sudden drop in attendance or "
        "attainment is worth an early, friendly conversation with the family.",
    ),
    (
        "developmental-needs",
        "DEV-1-03",
        1,
        "Generally happy, with friendships and a trusted adult to talk to",
        "The child copes with ordinary ups and downs, has friends and can turn to an adult "
        "they trust. What schools, clubs and community groups offer every child is enough.",
    ),
    (
        "developmental-needs",
        "DEV-2-01",
        2,
        "Attendance between 90% and 95%",
        "Attendance in this band often signals an emerging difficulty such as minor "
        "illness, worry about school or hard mornings at home. The school should talk with "
        "the family, agree simple steps and review within half a term. Think about an early "
        "help assessment if attendance keeps falling or other needs appear.",
    ),
    (
        "developmental-needs",
        "DEV-2-02",
        2,
        "Speech, language or communication behind what is expected for their age",
        "The child is behind expected communication milestones, for example at the two-year "
        "review. A health visitor or early years setting can usually offer targeted "
        "activities or a referral to speech and language therapy. Review progress with the "
        "parents once the support has had time to work.",
    ),
    (
        "developmental-needs",
        "DEV-2-03",
        2,
        "Behaviour at home or school that is starting to cause difficulties",
        "Frequent defiance, disruption in class or occasional aggression is beginning to "
        "affect learning or family life. One agency can often help through a behaviour plan "
        "agreed with the parents. Ask what the behaviour might be telling you, such as "
        "worry, an unmet learning need or changes at home.",
    ),
    (
        "developmental-needs",
        "DEV-2-04",
        2,
        "Emerging worries about emotional wellbeing, such as anxiety or low mood",
        "The child seems worried, sad or withdrawn beyond ordinary ups and downs, but still "
        "manages day to day. School pastoral staff, a school nurse or a mental health "
        "support team can offer brief support. Agree with the child and family what will "
        "help and when you will check in again.",
    ),
    (
        "developmental-needs",
        "DEV-2-05",
        2,
        "Health needs not fully met, such as missed checks or immunisations",
        "Routine health or dental appointments or immunisations have been missed, or a "
        "manageable condition such as asthma is poorly controlled. The health professional "
        "involved should talk with the parents about what gets in the way and offer "
        "practical help. Repeated missed appointments alongside other worries can be a sign "
        "of neglect.",
    ),
    (
        "developmental-needs",
        "DEV-3-01",
        3,
        "Persistent absence below 90% with other needs",
        "Attendance below 90% together with other difficulties, such as health problems, "
        "caring responsibilities or stress at home, usually needs more than one agency. "
        "Start an early help assessment and bring together a Team Around the Family. Check "
        "where the child is and whether they are safe when not in school.",
    ),
    (
        "developmental-needs",
        "DEV-3-02",
        3,
        "At risk of exclusion, or on a reduced timetable",
        "Repeated suspensions, a managed move or a part-time timetable mean the child is "
        "missing education and may be unsupervised. The school should work with the family "
        "and partners to understand the needs underneath, including any special educational "
        "needs. A reduced timetable should be short, reviewed often and part of a shared plan.",
    ),
    (
        "developmental-needs",
        "DEV-3-03",
        3,
        "Mental health difficulties affecting daily life, including self-harm",
        "Ongoing anxiety, low mood, disordered eating or self-harm that affects school, "
        "sleep or relationships needs health, school and family services working together. "
        "Make sure the child is known to the right mental health service and that the "
        "family knows what to do in a crisis. Self-harm that is escalating or "
        "life-threatening needs urgent medical help.",
    ),
    (
        "developmental-needs",
        "DEV-3-04",
        3,
        "Early signs of offending, substance use or risky behaviour outside the home",
        "Signs include being out late with older young people, new belongings that cannot "
        "be explained, experimenting with drugs or alcohol, or contact with the police. "
        "These may be early signs of exploitation rather than free choices. Share what you "
        "know with partners and plan together, including youth services.",
    ),
    (
        "developmental-needs",
        "DEV-4-01",
        4,
        "Disclosure of abuse",
        "A child who says they have been hurt, sexually abused or badly treated must be "
        "listened to and taken seriously. Do not question them in detail or suggest "
        "answers; write down what they said in their own words. Contact children's social "
        "care the same day, or the police straight away if the child is in immediate danger.",
    ),
    (
        "developmental-needs",
        "DEV-4-02",
        4,
        "An injury that is unexplained or suggests the child was harmed on purpose",
        "Bruising on a baby who is not yet moving about, injuries in unusual places, or "
        "explanations that do not fit the injury need an immediate referral. Arrange a "
        "medical assessment where needed and contact children's social care without delay. "
        "Do not tell the family first if that could put the child at greater risk.",
    ),
    (
        "developmental-needs",
        "DEV-4-03",
        4,
        "At significant risk of sexual or criminal exploitation",
        "Signs that a child is being groomed, moved around by others, going missing again "
        "and again, or used to carry drugs or money mean they may be suffering significant "
        "harm. Refer to children's social care and the police. A strategy discussion will "
        "agree what happens next.",
    ),
    (
        "developmental-needs",
        "DEV-4-04",
        4,
        "Mental health crisis or self-harm that puts the child's life at risk",
        "A child who has seriously tried to end their life, or whose mental health has "
        "broken down, needs urgent medical and specialist help. Call emergency services "
        "when life is at risk. Tell children's social care if there are also worries about "
        "the care the child gets at home.",
    ),
    # --- Parenting capacity --------------------------------------------------------------
    (
        "parenting-capacity",
        "PAR-1-01",
        1,
        "Consistent basic care, warmth and routines",
        "The child is fed, clothed and kept clean by parents who respond warmly and keep "
        "routines suited to the child's age. Universal services such as health visitors, "
        "schools and family hubs give all the help needed.",
    ),
    (
        "parenting-capacity",
        "PAR-1-02",
        1,
        "Parents ask for advice and use universal services",
        "Parents are registered with a GP, attend routine appointments and ask for advice "
        "when unsure. This shows they can recognise and meet their child's needs. Note it "
        "as a strength.",
    ),
    (
        "parenting-capacity",
        "PAR-1-03",
        1,
        "Supervision that suits the child's age",
        "Parents know where the child is, follow safer sleep and car seat advice, and give "
        "more independence as the child grows. No extra support is needed.",
    ),
    (
        "parenting-capacity",
        "PAR-2-01",
        2,
        "Parents finding routines or boundaries hard to keep",
        "Bedtimes, meals or rules about behaviour have become inconsistent and the parent "
        "feels things are slipping. A parenting group or a few sessions with a family "
        "support worker often help. Build on what the parent already does well.",
    ),
    (
        "parenting-capacity",
        "PAR-2-02",
        2,
        "A parent's stress or low mood is starting to affect the care of the child",
        "Basic care continues, but a parent's stress, anxiety or low mood is draining the "
        "energy they have for the child. Encourage them to see their GP and offer practical "
        "help. Think about how the child experiences this and who else supports the family.",
    ),
    (
        "parenting-capacity",
        "PAR-2-03",
        2,
        "Young, isolated or first-time parents needing extra guidance",
        "Parents who are very young, new to parenting or without people around them may "
        "need more than routine contacts, such as extra health visits or a peer support "
        "group. Focus on their confidence and on linking them with local networks.",
    ),
    (
        "parenting-capacity",
        "PAR-2-04",
        2,
        "Occasional lapses in hygiene, clothing or home conditions",
        "The child sometimes arrives hungry, unwashed or without suitable clothes, or the "
        "home is sometimes chaotic, but it is not a settled pattern. Talk openly with the "
        "parent about what is getting in the way, such as money, shifts or health. Record "
        "what you see so that any pattern becomes clear.",
    ),
    (
        "parenting-capacity",
        "PAR-2-05",
        2,
        "Parents unsure how to support a child's disability or additional needs",
        "A parent is struggling to understand or respond to their child's disability, "
        "health condition or neurodivergence. Point them to the local offer, parent support "
        "groups and the help the child's school or health team can give.",
    ),
    (
        "parenting-capacity",
        "PAR-3-01",
        3,
        "Parental mental ill health, substance use or learning needs affecting care",
        "A parent's mental illness, use of drugs or alcohol, or learning disability is "
        "affecting routines, supervision or warmth, though the child is not in immediate "
        "danger. Adults' and children's services need to work together, so invite the "
        "parent's own workers to the Team Around the Family. Keep asking what the child's "
        "day is like.",
    ),
    (
        "parenting-capacity",
        "PAR-3-02",
        3,
        "Parents struggling to manage the child's behaviour, at times beyond their control",
        "The child may stay out late, refuse to engage or be aggressive at home, and the "
        "parent cannot manage it. A shared plan might include parenting support, school and "
        "youth services. Consider whether the behaviour points to risks outside the home.",
    ),
    (
        "parenting-capacity",
        "PAR-3-03",
        3,
        "Basic needs often neglected, though not yet severely",
        "Repeated worries about food, hygiene, clothing, dental care or the state of the "
        "home suggest a pattern rather than a bad week. Use your area's neglect assessment "
        "tool, if it has one, to show change over time. An early help plan should set clear "
        "goals and timescales; if nothing improves, talk to children's social care.",
    ),
    (
        "parenting-capacity",
        "PAR-3-04",
        3,
        "Harsh or inconsistent discipline, or emotional coldness towards the child",
        "The parent often shouts at, criticises, threatens or ignores the child, or uses "
        "physical punishment. Talk about the effect on the child and offer evidence-based "
        "parenting support as part of a plan. If the child is being hurt, or emotional harm "
        "is serious, refer to children's social care.",
    ),
    (
        "parenting-capacity",
        "PAR-4-01",
        4,
        "Parents unable to meet the child's needs, leaving them at risk of significant harm",
        "Severe or long-standing neglect, abandonment, or parents who cannot keep the child "
        "safe even with support. Refer to children's social care; enquiries under section "
        "47 may follow. Record the specific evidence of harm to the child.",
    ),
    (
        "parenting-capacity",
        "PAR-4-02",
        4,
        "A young child left alone or without safe supervision in a dangerous situation",
        "A baby or young child left at home alone, or in the care of someone who is drunk or "
        "under the influence of drugs, is at immediate risk. Make the child safe, call the "
        "police if needed and contact children's social care straight away.",
    ),
    (
        "parenting-capacity",
        "PAR-4-03",
        4,
        "A parent's behaviour puts the child in direct danger",
        "For example, a parent threatens to harm the child, is violent towards them, or "
        "their mental state or substance use puts the child in danger. Refer at once to "
        "children's social care and, where a crime may have been committed, to the police.",
    ),
    (
        "parenting-capacity",
        "PAR-4-04",
        4,
        "An unborn baby at risk because of the parents' circumstances",
        "Serious worries during pregnancy, such as heavy substance use, domestic abuse or "
        "earlier children having been removed, need a pre-birth referral to children's "
        "social care. Refer early in the pregnancy so that there is time to assess and plan "
        "with the parents before the baby arrives.",
    ),
    # --- Family and environmental factors ----------------------------------------------
    (
        "family-environment",
        "FAM-1-01",
        1,
        "Settled housing and enough income for essentials",
        "The family has a safe, secure home and enough money for the things children need. "
        "Universal advice services can answer routine questions about benefits or tenancies.",
    ),
    (
        "family-environment",
        "FAM-1-02",
        1,
        "Supportive wider family and friends",
        "The family has people to turn to for practical and emotional help. These networks "
        "are a strength: record them and build on them.",
    ),
    (
        "family-environment",
        "FAM-1-03",
        1,
        "Family takes part in community life",
        "Libraries, groups, faith communities, sport and leisure give the family company "
        "and the children chances to thrive. No extra support is needed.",
    ),
    (
        "family-environment",
        "FAM-2-01",
        2,
        "Money worries or debt causing stress in the family",
        "Debt, rent arrears or needing a food bank are adding stress, but the children's "
        "basic needs are still met. Offer welfare rights or debt advice and local support "
        "schemes, and check the family receives everything it is entitled to.",
    ),
    (
        "family-environment",
        "FAM-2-02",
        2,
        "Overcrowded, damp or poorly repaired housing",
        "The state of the home is affecting sleep, health or homework. Help the family "
        "raise repairs with the landlord or housing provider, and involve environmental "
        "health if nothing happens.",
    ),
    (
        "family-environment",
        "FAM-2-03",
        2,
        "Family isolated or new to the area",
        "A family new to the area, without local contacts, or with little English may not "
        "know what help exists. Introduce them to family hubs, community groups and "
        "interpreting services.",
    ),
    (
        "family-environment",
        "FAM-2-04",
        2,
        "Parents' conflict or separation upsetting the child",
        "Frequent arguments or a difficult separation are upsetting the child, without "
        "violence or controlling behaviour. Relationship support can help parents keep "
        "conflict away from the children. Ask carefully about domestic abuse; if there is "
        "any, use the domestic abuse indicators instead.",
    ),
    (
        "family-environment",
        "FAM-2-05",
        2,
        "Young carer whose caring is starting to affect school or friendships",
        "The child helps look after someone in the family and it is beginning to cost them "
        "time with friends or at school. Let the school and the local young carers' service "
        "know, and consider what support the person being cared for needs.",
    ),
    (
        "family-environment",
        "FAM-3-01",
        3,
        "Domestic abuse assessed as standard or medium risk",
        "Children living with domestic abuse are harmed by it even when nobody hurts them "
        "directly. Where the risk to the adult victim is assessed as standard or medium, "
        "specialist domestic abuse services and early help usually need to plan together. "
        "Reassess if incidents become more frequent or more serious.",
    ),
    (
        "family-environment",
        "FAM-3-02",
        3,
        "Family at risk of homelessness or living in temporary accommodation",
        "An eviction notice, staying on friends' sofas or moving again and again disrupts "
        "school, health care and friendships. Work with the council's housing team and "
        "coordinate school and health support through a shared plan.",
    ),
    (
        "family-environment",
        "FAM-3-03",
        3,
        "Young carer whose caring is harming their health, wellbeing or education",
        "The child's caring responsibilities are significant and are affecting attendance, "
        "health or development. A young carer's needs assessment is needed, with an early "
        "help plan that involves adult services for the person being cared for.",
    ),
    (
        "family-environment",
        "FAM-3-04",
        3,
        "Crime or antisocial behaviour in the household affecting the child",
        "Adults or siblings at home are involved in offending, gangs or antisocial "
        "behaviour and the child is exposed to it. Share information with the police and "
        "youth services and plan together to reduce the child's exposure.",
    ),
    (
        "family-environment",
        "FAM-4-01",
        4,
        "High-risk domestic abuse, or a child hurt or threatened during abuse",
        "Where the adult victim is at high risk of serious harm the case goes to a "
        "multi-agency risk assessment conference (MARAC), and the children need a referral "
        "to children's social care. The same applies whenever a child is injured, "
        "threatened or used to control the victim. Consider whether the police need to "
        "act now.",
    ),
    (
        "family-environment",
        "FAM-4-02",
        4,
        "Living with, or regularly visited by, an adult known to pose a risk to children",
        "Someone convicted or suspected of offences against children lives in the home or "
        "visits often. Refer to children's social care and the police without delay. Do not "
        "rely on a parent's promise that contact is supervised.",
    ),
    (
        "family-environment",
        "FAM-4-03",
        4,
        "No safe place to stay",
        "A child who is homeless, has been thrown out, or is staying with adults who do not "
        "care for them is at risk of significant harm. Contact children's social care the "
        "same day: 16 and 17 year olds must be assessed as children in need. Make sure the "
        "child is safe tonight.",
    ),
    (
        "family-environment",
        "FAM-4-04",
        4,
        "Suspected forced marriage, female genital mutilation or honour-based abuse",
        "These forms of abuse carry specific legal duties. Do not approach or try to "
        "mediate with the family, which can raise the risk. Contact the police and "
        "children's social care at once; professionals such as teachers, nurses and doctors "
        "must report known FGM in a girl under 18 to the police.",
    ),
]


def seed_framework(apps, schema_editor):
    FrameworkVersion = apps.get_model("thresholds", "FrameworkVersion")
    Domain = apps.get_model("thresholds", "Domain")
    Indicator = apps.get_model("thresholds", "Indicator")

    version = FrameworkVersion.objects.create(**VERSION)
    domains = {}
    for code, name, description, order in DOMAINS:
        domains[code] = Domain.objects.create(
            code=code, name=name, description=description, order=order
        )
    Indicator.objects.bulk_create(
        Indicator(
            version=version,
            domain=domains[domain_code],
            code=code,
            level=level,
            title=title,
            guidance=guidance,
        )
        for domain_code, code, level, title, guidance in INDICATORS
    )


def unseed_framework(apps, schema_editor):
    FrameworkVersion = apps.get_model("thresholds", "FrameworkVersion")
    Domain = apps.get_model("thresholds", "Domain")
    Indicator = apps.get_model("thresholds", "Indicator")

    version = FrameworkVersion.objects.filter(number=VERSION["number"]).first()
    if version is not None:
        Indicator.objects.filter(
            version=version, code__in=[row[1] for row in INDICATORS]
        ).delete()
        version.delete()
    Domain.objects.filter(
        code__in=[row[0] for row in DOMAINS], indicators__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("thresholds", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(seed_framework, unseed_framework),
    ]
