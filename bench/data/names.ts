// Names, places and clinical vocabulary the generated data draws from.

export const FIRST_NAMES_FEMALE = [
  'Aïcha', 'Amina', 'Brigitte', 'Carine', 'Chantal', 'Christelle', 'Delphine', 'Estelle', 'Florence', 'Grace', 'Hélène', 'Irène',
  'Judith', 'Laure', 'Madeleine', 'Marie', 'Nadège', 'Odile', 'Pauline', 'Rose', 'Sandrine', 'Solange', 'Thérèse', 'Vanessa', 'Yvonne',
];
export const FIRST_NAMES_MALE = [
  'Alain', 'Brice', 'Célestin', 'Didier', 'Emmanuel', 'Félix', 'Gervais', 'Hervé', 'Ivo', 'Jean-Paul', 'Joseph', 'Kevin', 'Luc',
  'Marc', 'Noël', 'Olivier', 'Patrice', 'Rodrigue', 'Samuel', 'Thierry', 'Valentin', 'William', 'Yannick', 'Zacharie', 'Achille',
];
export const LAST_NAMES = [
  'Abena', 'Akum', 'Atangana', 'Bello', 'Biyong', 'Ebodé', 'Ekane', 'Essomba', 'Ewane', 'Eyenga', 'Fotso', 'Fouda', 'Kamga', 'Kouam',
  'Manga', 'Mballa', 'Mbarga', 'Moukoko', 'Mvondo', 'Nana', 'Ndzana', 'Nforba', 'Ngo Biyong', 'Ngwa', 'Njoya', 'Nkeng', 'Ondoa',
  'Onana', 'Owona', 'Tabi', 'Tchana', 'Tchinda', 'Tchoupo', 'Bilong', 'Djoumessi', 'Ngono', 'Nguemo', 'Tagne', 'Wamba', 'Yomi',
];

/** [city, region, weight (share of clinics and patients), latitude, longitude]. */
export const CITIES: ReadonlyArray<readonly [string, string, number, number, number]> = [
  ['Douala', 'Littoral', 30, 4.05, 9.7],
  ['Yaoundé', 'Centre', 28, 3.87, 11.52],
  ['Bafoussam', 'Ouest', 8, 5.48, 10.42],
  ['Bamenda', 'Nord-Ouest', 7, 5.96, 10.15],
  ['Garoua', 'Nord', 6, 9.3, 13.4],
  ['Maroua', 'Extrême-Nord', 5, 10.59, 14.32],
  ['Ngaoundéré', 'Adamaoua', 4, 7.32, 13.58],
  ['Bertoua', 'Est', 4, 4.58, 13.68],
  ['Buea', 'Sud-Ouest', 4, 4.15, 9.24],
  ['Kribi', 'Sud', 4, 2.94, 9.91],
];

export const SPECIALTIES: ReadonlyArray<readonly [string, string, string, number]> = [
  ['general_practice', 'General practice', 'Médecine générale', 30],
  ['pediatrics', 'Pediatrics', 'Pédiatrie', 14],
  ['gynecology', 'Gynecology and obstetrics', 'Gynécologie-obstétrique', 12],
  ['internal_medicine', 'Internal medicine', 'Médecine interne', 10],
  ['cardiology', 'Cardiology', 'Cardiologie', 6],
  ['dermatology', 'Dermatology', 'Dermatologie', 5],
  ['ophthalmology', 'Ophthalmology', 'Ophtalmologie', 5],
  ['ent', 'Ear, nose and throat', 'Oto-rhino-laryngologie', 4],
  ['endocrinology', 'Endocrinology', 'Endocrinologie', 4],
  ['psychiatry', 'Psychiatry', 'Psychiatrie', 3],
];

/** [code, name, minutes, price (XAF), mode, share of bookings]. */
export const APPOINTMENT_TYPES: ReadonlyArray<readonly [string, string, number, number, string, number]> = [
  ['consultation_30', 'Consultation', 30, 15_000, 'in_person', 50],
  ['follow_up_15', 'Follow-up visit', 15, 7_500, 'in_person', 25],
  ['video_20', 'Video consultation', 20, 10_000, 'video', 10],
  ['phone_15', 'Phone consultation', 15, 5_000, 'phone', 10],
  ['chat_15', 'Chat consultation', 15, 3_000, 'chat', 5],
];

/** [name, ICD-10, prevalence among adults]. */
export const CHRONIC_CONDITIONS: ReadonlyArray<readonly [string, string, number]> = [
  ['Essential hypertension', 'I10', 0.18],
  ['Type 2 diabetes', 'E11.9', 0.06],
  ['Asthma', 'J45.9', 0.04],
  ['Sickle cell disease', 'D57.1', 0.015],
  ['HIV disease', 'B24', 0.03],
  ['Chronic hepatitis B', 'B18.1', 0.05],
  ['Chronic kidney disease', 'N18.9', 0.02],
  ['Epilepsy', 'G40.9', 0.01],
];

/** [substance, share among allergies]. */
export const ALLERGENS: ReadonlyArray<readonly [string, number]> = [
  ['Penicillin', 30], ['Sulfonamides', 15], ['Peanuts', 10], ['Shellfish', 10], ['Aspirin', 8], ['Latex', 5], ['Chloroquine', 12], ['Dust mites', 10],
];

export const VACCINES = ['BCG', 'Yellow fever', 'Hepatitis B', 'Measles-rubella', 'Tetanus', 'Polio (OPV)', 'Pentavalent', 'Meningitis A', 'COVID-19'];

/** [ICD-10, description] of common diagnoses at a consultation. */
export const DIAGNOSES: ReadonlyArray<readonly [string, string]> = [
  ['B54', 'Malaria, unspecified'], ['J06.9', 'Acute upper respiratory infection'], ['A09', 'Gastroenteritis'], ['I10', 'Essential hypertension'],
  ['E11.9', 'Type 2 diabetes, follow-up'], ['N39.0', 'Urinary tract infection'], ['A01.0', 'Typhoid fever'], ['R51', 'Headache'],
  ['M54.5', 'Low back pain'], ['L30.9', 'Dermatitis'], ['Z34.9', 'Supervision of normal pregnancy'], ['K29.7', 'Gastritis'],
];

export const COMPLAINTS = ['Fever for three days', 'Cough and sore throat', 'Abdominal pain', 'Headache', 'Follow-up of blood pressure', 'Skin rash', 'Fatigue', 'Back pain', 'Prenatal visit', 'Diarrhoea'];
